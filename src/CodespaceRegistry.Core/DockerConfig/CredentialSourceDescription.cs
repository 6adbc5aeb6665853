using System.Collections.Generic;

namespace CodespaceRegistry.DockerConfig
{
    /// <summary>
    /// What a credential file does for one server, for diagnostics: which source serves it (a credHelpers entry, the
    /// credsStore, an auths entry, or nothing), whether the helper is installed, whether a stale auths entry lingers
    /// behind a helper or an ignored helper key leaves the server to another source, and the warnings with fixes.
    /// Reading it runs no helper and reveals no secret.
    /// </summary>
    public sealed class CredentialSourceDescription
    {
        public string ConfigPath { get; internal set; } = "";

        public bool ConfigExists { get; internal set; }

        public CredentialFileFormat Format { get; internal set; }

        /// <summary>The file's key for the server (and the ServerURL a helper is given).</summary>
        public string ConfigKey { get; internal set; } = "";

        /// <summary>What serves the server's credential.</summary>
        public CredentialSource Source { get; internal set; }

        /// <summary>The helper that serves the server, when <see cref="Source"/> is a helper.</summary>
        public string? HelperName { get; internal set; }

        /// <summary>Where <c>docker-credential-&lt;HelperName&gt;</c> was found; null when it is not installed.</summary>
        public string? HelperPath { get; internal set; }

        /// <summary>The <c>auths</c> key the tool reads for the server, if any.</summary>
        public string? AuthsKey { get; internal set; }

        /// <summary>True when that auths entry holds a credential (docker's <c>{}</c> marker holds none).</summary>
        public bool AuthsEntryHasCredential { get; internal set; }

        /// <summary>True when a helper serves the server but an auths entry still holds an old credential for it.</summary>
        public bool AuthsEntryShadowed { get; internal set; }

        /// <summary>A credHelpers key that names the server in a form the tool does not match, so the helper is not used.</summary>
        public string? IgnoredHelperKey { get; internal set; }

        public IReadOnlyList<DockerConfigWarning> Warnings { get; internal set; } = new DockerConfigWarning[0];

        public override string ToString() => $"{ConfigKey}: {Source}{(HelperName == null ? "" : " " + HelperName)}";
    }
}
