using System.Security;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Distribution
{
    /// <summary>A successful sign-in: how the registry authenticated, and the identity token it gave, if any.</summary>
    public sealed class RegistryAuthentication
    {
        internal RegistryAuthentication(RegistryPing ping, SecureString? identityToken)
        {
            Ping = ping;
            IdentityToken = identityToken;
        }

        public RegistryPing Ping { get; }

        public RegistryServer Server => Ping.Server;

        /// <summary><c>Basic</c>, <c>Bearer</c>, or <c>None</c> when the registry is open to anyone.</summary>
        public string Scheme => Ping.AuthenticationScheme;

        /// <summary>A refresh token the token server returned (docker stores it as <c>identitytoken</c>); null when none.</summary>
        public SecureString? IdentityToken { get; }

        public override string ToString() => $"{Server.Host} ({Scheme})";
    }
}
