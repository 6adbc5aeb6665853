using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Distribution
{
    /// <summary>How a <see cref="RegistryClient"/> talks to registries; one set per session.</summary>
    public sealed class RegistryClientOptions
    {
        /// <summary>
        /// Hosts (<c>host[:port]</c>, as <see cref="Registries.RegistryServer.Host"/>) the user marked insecure: plain HTTP
        /// and unverified certificates are accepted for them, as docker's <c>insecure-registries</c>. Loopback needs no entry.
        /// </summary>
        public ISet<string> InsecureHosts { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The longest one HTTP round trip (connect, TLS, response headers and a capped body) may take.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// The longest one operation (a ping, a sign-in, an access check: every redirect, token exchange and body read
        /// included) may take.
        /// </summary>
        public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>
        /// Resolves a host name to its addresses, for the DNS check and to decide loopback (plain HTTP is allowed for a
        /// name only when every address is loopback). The system resolver, except that names under <c>.invalid</c> fail at
        /// once (RFC 6761); tests inject a map so that no name is looked up.
        /// </summary>
        public Func<string, CancellationToken, Task<IPAddress[]>> ResolveHost { get; set; } = HostResolution.ResolveAsync;

        /// <summary>The most bytes read of any response body (token responses, error documents).</summary>
        public int MaxBodyBytes { get; set; } = 1024 * 1024;

        /// <summary>The most redirects followed for one request.</summary>
        public int MaxRedirects { get; set; } = 5;

        /// <summary>A root certificate trusted in addition to the system's (a private CA, or a test CA).</summary>
        public X509Certificate2? ExtraTrustedRoot { get; set; }

        /// <summary>The certs.d folders whose per-registry CA certificates are trusted; by default docker's and podman's (or CODESPACE_REGISTRY_CERTS_D).</summary>
        public RegistryTrust Trust { get; set; } = RegistryTrust.FromProcessEnvironment();

        /// <summary>The clock token lifetimes are measured with.</summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        public string UserAgent { get; set; } = "CodespaceRegistry";
    }
}
