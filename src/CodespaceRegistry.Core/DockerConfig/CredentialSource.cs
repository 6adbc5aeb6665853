namespace CodespaceRegistry.DockerConfig
{
    /// <summary>Where a credential file sends a server's credential.</summary>
    public enum CredentialSource
    {
        /// <summary>Nothing: the server is pulled anonymously.</summary>
        None = 0,

        /// <summary>An <c>auths</c> entry of the file itself (base64, not encrypted).</summary>
        ConfigFile,

        /// <summary>The helper a <c>credHelpers</c> entry names for this server.</summary>
        CredentialHelper,

        /// <summary>The <c>credsStore</c> helper, which serves every server without a credHelpers entry.</summary>
        CredentialsStore,
    }
}
