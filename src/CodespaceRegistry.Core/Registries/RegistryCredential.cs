using System;
using System.Security;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Registries
{
    /// <summary>
    /// A user and a secret for one registry, as they cross from the cmdlets (PSCredential) or a secret set into
    /// Core. The secret stays a <see cref="SecureString"/> until the moment it is sent; nothing prints it.
    /// </summary>
    public sealed class RegistryCredential
    {
        public RegistryCredential(string userName, SecureString password)
            : this(userName, password, null)
        {
        }

        /// <param name="secretSetName">The secret set the user and password were read from, so that a refusal names its secrets.</param>
        public RegistryCredential(string userName, SecureString password, string? secretSetName)
        {
            if (string.IsNullOrEmpty(userName)) throw new ArgumentException("A registry credential needs a user name.", nameof(userName));
            UserName = userName;
            Password = password ?? throw new ArgumentNullException(nameof(password));
            SecretSetName = secretSetName;
        }

        /// <summary>
        /// A credential given by the user (-Credential). One whose user name looks like a password or token, or holds the
        /// password, was pasted into the wrong field: it is refused before it is shown or sent, as a set's USER is.
        /// </summary>
        /// <exception cref="RegistryException"><c>RegistryCredentialUserHidden</c>.</exception>
        public static RegistryCredential Given(string userName, SecureString password)
        {
            if (SecretSetReader.LooksLikeSecret(userName ?? "") || Redaction.Contains(userName ?? "", SecureStrings.Reveal(password)))
            {
                throw new RegistryException("RegistryCredentialUserHidden", ErrorKind.InvalidArgument,
                    "The credential's user name looks like a password or token, so it is neither shown nor sent. Give the registry user name as the user, and the password or token as the password.");
            }
            return new RegistryCredential(userName!, password);
        }

        public string UserName { get; }

        public SecureString Password { get; }

        /// <summary>The secret set the user and password are from; null for a credential given (-Credential), stored, or swapped for an ECR token.</summary>
        public string? SecretSetName { get; }

        /// <summary>What to check when <paramref name="host"/> refuses the credential: the set's secrets, or the credential as given.</summary>
        public string RefusalRemediation(string host) => SecretSetName != null
            ? $"Check {SecretNames.NameOf(SecretSetName, SecretPart.User)} and {SecretNames.NameOf(SecretSetName, SecretPart.Password)}: sign in with them by hand (docker login {host}); if that fails the credentials are wrong, if it works they were copied into the wrong secrets."
            : $"Check the credential's user name and password (a token may have expired or been revoked): sign in with them by hand (docker login {host}); if that fails they are wrong, or the user has no access to {host}.";

        public override string ToString() => UserName;
    }
}
