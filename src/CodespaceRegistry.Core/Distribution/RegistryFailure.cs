namespace CodespaceRegistry.Distribution
{
    /// <summary>Every way a registry round trip can fail, as the diagnosis names it.</summary>
    public enum RegistryFailure
    {
        None = 0,

        /// <summary>The registry or its token server rejected the user name or password (or the token is invalid).</summary>
        Unauthorized,

        /// <summary>The credentials are valid but do not grant the requested scope (pull or push) on the repository.</summary>
        InsufficientScope,

        /// <summary>The registry answered 403 Forbidden.</summary>
        Denied,

        ManifestUnknown,

        RepositoryUnknown,

        /// <summary>429 Too Many Requests.</summary>
        RateLimited,

        /// <summary>A 5xx answer.</summary>
        ServerError,

        /// <summary>The host name does not resolve.</summary>
        DnsFailure,

        /// <summary>Nothing listens on the port.</summary>
        ConnectionRefused,

        /// <summary>The certificate does not chain to a trusted root.</summary>
        TlsUntrusted,

        /// <summary>The certificate is trusted but names another host.</summary>
        TlsNameMismatch,

        /// <summary>No TLS handshake completed (the port may serve plain HTTP).</summary>
        TlsHandshakeFailed,

        Timeout,

        /// <summary>The host answers HTTP but not the registry API (<c>/v2/</c>).</summary>
        NotARegistry,

        /// <summary>Credentials would have crossed plain HTTP to a host that is neither loopback nor marked insecure.</summary>
        InsecureRefused,

        /// <summary>A token realm over plain HTTP on another host than the registry's.</summary>
        RealmRefused,

        /// <summary>A response body larger than the cap.</summary>
        ResponseTooLarge,

        /// <summary>Anything else the registry answered that the protocol does not explain.</summary>
        Unexpected,
    }
}
