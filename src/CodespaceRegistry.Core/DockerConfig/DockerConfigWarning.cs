namespace CodespaceRegistry.DockerConfig
{
    /// <summary>Something in a credential file that works against the user, with the fix. Never holds a secret.</summary>
    public sealed class DockerConfigWarning
    {
        /// <summary>An auths entry still holds a credential for a server a helper serves.</summary>
        public const string StaleAuthsEntry = "StaleAuthsEntry";

        /// <summary>The helper that serves the server is not installed.</summary>
        public const string CredentialHelperNotInstalled = "CredentialHelperNotInstalled";

        /// <summary>A credHelpers key names the server in a form the tool does not match, so the helper is not used.</summary>
        public const string CredHelpersKeyIgnored = "CredHelpersKeyIgnored";

        /// <summary>An auths key names the server in a form the tool does not read (docker.io for Docker Hub in docker's file).</summary>
        public const string AuthsKeyIgnored = "AuthsKeyIgnored";

        /// <summary>Several auths keys the tool would read name the server; only the first counts.</summary>
        public const string DuplicateAuthsEntries = "DuplicateAuthsEntries";

        /// <summary>The server's auths entry is a helper's empty marker, but no helper serves the server any more.</summary>
        public const string EmptyAuthsEntry = "EmptyAuthsEntry";

        /// <summary>The credential sits in the file, base64-encoded but not encrypted.</summary>
        public const string PlainTextCredential = "PlainTextCredential";

        public DockerConfigWarning(string id, string message)
        {
            Id = id;
            Message = message;
        }

        /// <summary>One of the constants of this class.</summary>
        public string Id { get; }

        public string Message { get; }

        public override string ToString() => Message;
    }
}
