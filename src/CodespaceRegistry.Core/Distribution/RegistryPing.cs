using System;
using System.Collections.Generic;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Distribution
{
    /// <summary>What a registry's <c>/v2/</c> answered without credentials: where it speaks and how it wants to be authenticated.</summary>
    public sealed class RegistryPing
    {
        internal RegistryPing(RegistryServer server, Uri baseUri, int statusCode, IReadOnlyList<AuthenticationChallenge> challenges, string? apiVersion, bool fellBackToPlainHttp = false)
        {
            FellBackToPlainHttp = fellBackToPlainHttp;
            Server = server;
            BaseUri = baseUri;
            StatusCode = statusCode;
            Challenges = challenges;
            ApiVersion = apiVersion;
        }

        public RegistryServer Server { get; }

        /// <summary>The scheme, host and port that answered, such as <c>https://ghcr.io/</c>.</summary>
        public Uri BaseUri { get; }

        public bool IsTls => BaseUri.Scheme == Uri.UriSchemeHttps;

        /// <summary>
        /// True when SERVER named no scheme, https was tried and the host (loopback or marked insecure) did not speak TLS,
        /// so the client fell back to plain HTTP: a diagnosis reports it as a warning.
        /// </summary>
        public bool FellBackToPlainHttp { get; }

        /// <summary>200 (open registry) or 401 (authentication required).</summary>
        public int StatusCode { get; }

        public IReadOnlyList<AuthenticationChallenge> Challenges { get; }

        /// <summary>The <c>Docker-Distribution-API-Version</c> header, such as <c>registry/2.0</c>, when sent.</summary>
        public string? ApiVersion { get; }

        public bool RequiresAuthentication => StatusCode == 401;

        /// <summary><c>Bearer</c>, <c>Basic</c>, or <c>None</c> for an open registry.</summary>
        public string AuthenticationScheme =>
            !RequiresAuthentication ? "None" : BearerChallenge != null ? "Bearer" : "Basic";

        internal AuthenticationChallenge? BearerChallenge =>
            FirstOf("Bearer", c => !string.IsNullOrEmpty(c.Realm));

        internal AuthenticationChallenge? BasicChallenge => FirstOf("Basic", c => true);

        private AuthenticationChallenge? FirstOf(string scheme, Func<AuthenticationChallenge, bool> usable)
        {
            foreach (var c in Challenges)
            {
                if (c.IsScheme(scheme) && usable(c)) return c;
            }
            return null;
        }

        public override string ToString() => $"{BaseUri} {StatusCode} {AuthenticationScheme}";
    }
}
