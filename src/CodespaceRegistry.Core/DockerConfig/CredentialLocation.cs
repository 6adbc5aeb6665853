using System.Collections.Generic;

namespace CodespaceRegistry.DockerConfig
{
    /// <summary>Where a stored credential (or a registered helper) went: the file, its key, and the helper if one holds it.</summary>
    public sealed class CredentialLocation
    {
        internal CredentialLocation(string configPath, string configKey, CredentialSource source, string? helperName, IReadOnlyList<DockerConfigWarning> warnings)
        {
            ConfigPath = configPath;
            ConfigKey = configKey;
            Source = source;
            HelperName = helperName;
            Warnings = warnings;
        }

        /// <summary>The credential file that was read and changed.</summary>
        public string ConfigPath { get; }

        /// <summary>The file's key for the server, which is also the ServerURL a helper was given.</summary>
        public string ConfigKey { get; }

        public CredentialSource Source { get; }

        /// <summary>The helper (the part after <c>docker-credential-</c>), when one holds the credential.</summary>
        public string? HelperName { get; }

        public IReadOnlyList<DockerConfigWarning> Warnings { get; }

        public override string ToString() =>
            HelperName == null ? $"{ConfigPath} auths \"{ConfigKey}\"" : $"docker-credential-{HelperName} for {ConfigKey} ({ConfigPath})";
    }
}
