using System;
using System.Security;

namespace CodespaceRegistry.Registries
{
    /// <summary>
    /// A user and a secret for one registry, as they cross from the cmdlets (PSCredential) or a secret set into
    /// Core. The secret stays a <see cref="SecureString"/> until the moment it is sent; nothing prints it.
    /// </summary>
    public sealed class RegistryCredential
    {
        public RegistryCredential(string userName, SecureString password)
        {
            if (string.IsNullOrEmpty(userName)) throw new ArgumentException("A registry credential needs a user name.", nameof(userName));
            UserName = userName;
            Password = password ?? throw new ArgumentNullException(nameof(password));
        }

        public string UserName { get; }

        public SecureString Password { get; }

        public override string ToString() => UserName;
    }
}
