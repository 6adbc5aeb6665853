using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// Turns a secret set into the credential a codespace logs in with: USER and PASSWORD as they are; for ECR, a
    /// token as given (user <c>AWS</c>, mode 2) or the token an access key swaps for (mode 1). The one place that decides.
    /// </summary>
    public class CredentialResolver
    {
        private readonly Lazy<EcrCredentialSwap> _ecr;

        public CredentialResolver() : this(null) { }

        /// <param name="ecr">Creates the ECR swap on first use; by default the module's (the isolated AWS SDK, the per-user token cache, the process environment).</param>
        public CredentialResolver(Func<EcrCredentialSwap>? ecr)
        {
            _ecr = new Lazy<EcrCredentialSwap>(ecr ?? (() => EcrCredentialSwap.CreateDefault(TimeProvider.System)));
        }

        /// <summary>The module's resolver with the ECR and STS endpoints overridden (a parameter wins over AWS_ENDPOINT_URL_*).</summary>
        public static CredentialResolver WithAwsEndpoints(TimeProvider clock, Uri? ecrEndpointUrl, Uri? stsEndpointUrl) =>
            new CredentialResolver(() =>
            {
                var swap = EcrCredentialSwap.CreateDefault(clock);
                swap.EcrEndpointUrl = ecrEndpointUrl;
                swap.StsEndpointUrl = stsEndpointUrl;
                return swap;
            });

        /// <exception cref="RegistryException">The set is incomplete, its password is not readable, its ECR token expired, or AWS refused the swap.</exception>
        public virtual async Task<RegistryCredential> ResolveAsync(RegistrySecretSet set, CancellationToken cancellationToken)
        {
            EnsureUsable(set);
            if (set.EcrMode != EcrMode.None) return (await ResolveEcrAsync(set, cancellationToken).ConfigureAwait(false)).Credential;
            return new RegistryCredential(set.User!, set.Password!, set.Name);
        }

        /// <summary>The login of an ECR set in either mode, with the token's expiry.</summary>
        public virtual Task<EcrCredential> ResolveEcrAsync(RegistrySecretSet set, CancellationToken cancellationToken)
        {
            EnsureUsable(set);
            return _ecr.Value.GetCredentialAsync(set, cancellationToken);
        }

        /// <summary>Whose access key an ECR access-key set holds (STS GetCallerIdentity).</summary>
        public virtual Task<AwsCallerIdentity> IdentifyAsync(RegistrySecretSet set, CancellationToken cancellationToken)
        {
            EnsureUsable(set);
            return _ecr.Value.GetCallerIdentityAsync(set.Server!, new RegistryCredential(set.User!, set.Password!), cancellationToken);
        }

        /// <summary>Refuses a set a codespace could not log in with, naming its real problem (its first error finding) before any registry is asked.</summary>
        internal static void EnsureUsable(RegistrySecretSet set)
        {
            // An expired ECR token is refused by the ECR path with its own id (EcrTokenExpired); every other error is said here.
            var error = set.Findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error && f.Id != "EcrTokenExpired");
            if (!set.IsComplete || set.Server == null)
            {
                var missing = new[] { (set.HasServer, RegistrySecretSet.ServerSuffix), (set.HasUser, RegistrySecretSet.UserSuffix), (set.HasPassword, RegistrySecretSet.PasswordSuffix) }
                    .Where(p => !p.Item1).Select(p => set.Name + p.Item2).ToList();
                throw new RegistryException("RegistrySecretSetIncomplete", ErrorKind.InvalidData, error != null
                    ? $"The secret set '{set.Name}' cannot log in ({error.Id}): {error.Message} {error.Fix}"
                    : missing.Count > 0
                        ? $"The secret set '{set.Name}' cannot log in: it has no {string.Join(" or ", missing)}. Add it at the same level as the others, then stop and start the codespace."
                        : $"The secret set '{set.Name}' cannot log in: its SERVER is not a registry server (see the set's Findings).");
            }
            if (set.Password == null && set.Level == SecretLevel.Environment)
            {
                throw new RegistryException("RegistrySecretSetPasswordTooLarge", ErrorKind.LimitsExceeded,
                    $"The PASSWORD secret of the set '{set.Name}' is larger than a secret can be (see the ValueTooLarge finding), so there is nothing to log in with. Store the real password or token.");
            }
            if (set.Password == null)
            {
                throw new RegistryException("RegistrySecretSetPasswordUnreadable", ErrorKind.InvalidData,
                    $"The password of the secret set '{set.Name}' is not readable here (GitHub's API never returns secret values). Run this inside the codespace, where the set is in the environment.");
            }
            if (set.User == null)
            {
                throw new RegistryException("RegistrySecretSetUserHidden", ErrorKind.InvalidData,
                    $"The USER secret of the set '{set.Name}' holds what looks like a password or token, so it is neither shown nor sent. Put the user name in {set.Name}{RegistrySecretSet.UserSuffix} and the password in {set.Name}{RegistrySecretSet.PasswordSuffix} (see the set's Findings).");
            }
            if (error != null)
            {
                // Known before any registry is asked: a pasted space would only come back as "rejected user ...".
                throw new RegistryException(GitHubSecretSetWriter.InvalidSetErrorId, ErrorKind.InvalidData,
                    $"The secret set '{set.Name}' cannot log in ({error.Id}): {error.Message} {error.Fix}");
            }
        }
    }
}
