using System.Collections.Generic;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Access
{
    /// <summary>A login that was verified (unless skipped) and stored: where the credential went and how the registry signed it in.</summary>
    public sealed class RegistryLoginResult
    {
        internal RegistryLoginResult(RegistryServer server, string user, string? authenticationScheme, CredentialLocation location, string? secretSetName)
        {
            Server = server;
            User = user;
            AuthenticationScheme = authenticationScheme;
            ConfigPath = location.ConfigPath;
            ConfigKey = location.ConfigKey;
            Source = location.Source;
            HelperName = location.HelperName;
            Warnings = location.Warnings;
            SecretSetName = secretSetName;
        }

        public RegistryServer Server { get; }

        public string User { get; }

        /// <summary>True when the registry accepted the credentials before they were stored.</summary>
        public bool Verified => AuthenticationScheme != null;

        /// <summary><c>Basic</c>, <c>Bearer</c> or <c>None</c> (an open registry); null when verification was skipped.</summary>
        public string? AuthenticationScheme { get; }

        /// <summary>The credential file that was written.</summary>
        public string ConfigPath { get; }

        /// <summary>The file's key for the server.</summary>
        public string ConfigKey { get; }

        /// <summary>Where the credential is kept: the file's auths, a credHelpers helper or the credsStore.</summary>
        public CredentialSource Source { get; }

        public string? HelperName { get; }

        public IReadOnlyList<DockerConfigWarning> Warnings { get; }

        /// <summary>The secret set the credentials came from, when they came from one.</summary>
        public string? SecretSetName { get; }

        /// <summary>When the ECR token logged in with expires (an ECR set's login); with a credential helper it is fetched afresh before then.</summary>
        public System.DateTimeOffset? TokenExpiresAt { get; internal set; }

        /// <summary>
        /// True when SERVER named no scheme and the registry (loopback or marked insecure) did not speak TLS, so the
        /// verification fell back to plain HTTP; the cmdlet warns.
        /// </summary>
        public bool FellBackToPlainHttp { get; internal set; }

        public override string ToString() => $"{User}@{Server.Host} -> {ConfigPath}";
    }
}
