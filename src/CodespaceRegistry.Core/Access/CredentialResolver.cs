using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// Turns a secret set into the credential a codespace logs in with: USER and PASSWORD as they are, user <c>AWS</c>
    /// for an ECR token, and (once the ECR swap exists) an ECR token for an access key pair. The one place that decides.
    /// </summary>
    public class CredentialResolver
    {
        /// <exception cref="RegistryException">The set is incomplete, its password is not readable, or it needs the ECR swap.</exception>
        public virtual Task<RegistryCredential> ResolveAsync(RegistrySecretSet set, CancellationToken cancellationToken)
        {
            if (!set.IsComplete || set.Server == null)
            {
                throw new RegistryException("RegistrySecretSetIncomplete", ErrorKind.InvalidData,
                    $"The secret set '{set.Name}' lacks a valid SERVER, USER or PASSWORD, so there is nothing to log in with. Add the missing {set.Name}{RegistrySecretSet.ServerSuffix}, {RegistrySecretSet.UserSuffix.TrimStart('_')} or {RegistrySecretSet.PasswordSuffix.TrimStart('_')} secret (see the set's Findings).");
            }
            if (set.Password == null)
            {
                throw new RegistryException("RegistrySecretSetPasswordUnreadable", ErrorKind.InvalidData,
                    $"The password of the secret set '{set.Name}' is not readable here (GitHub's API never returns secret values). Run this inside the codespace, where the set is in the environment.");
            }
            switch (set.EcrMode)
            {
                case EcrMode.AccessKey:
                    throw new RegistryException("EcrSwapNotAvailable", ErrorKind.NotImplemented,
                        $"The secret set '{set.Name}' holds an AWS access key for {set.Server.Host}, which must first be swapped for an ECR token (ecr:GetAuthorizationToken); this version cannot do the swap yet. Put user AWS and a token from 'aws ecr get-login-password' in the set meanwhile.");
                case EcrMode.Token:
                    return Task.FromResult(new RegistryCredential("AWS", set.Password));
                default:
                    return Task.FromResult(new RegistryCredential(set.User!, set.Password));
            }
        }
    }
}
