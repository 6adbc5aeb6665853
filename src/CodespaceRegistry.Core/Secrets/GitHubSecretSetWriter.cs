using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Secrets
{
    /// <summary>
    /// Writes and removes registry secret sets at user, repository or organization level: all three secrets, each
    /// sealed to the level's public key. A set is checked as a codespace would see it before anything is written.
    /// </summary>
    public static class GitHubSecretSetWriter
    {
        public const string InvalidSetErrorId = "InvalidRegistrySecretSet";
        public const string NotFoundErrorId = "RegistrySecretSetNotFound";
        public const string InvalidPolicyErrorId = "InvalidRegistrySecretPolicy";

        /// <summary>
        /// The set <paramref name="id"/> would form, with its findings; throws <see cref="InvalidSetErrorId"/> when a
        /// finding is an error (a misnamed identifier, a server that is not one, an expired ECR token, ...).
        /// No network; never reveals the password in a message.
        /// </summary>
        public static RegistrySecretSet Check(string id, string server, RegistryCredential credential, DateTimeOffset now)
        {
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            var why = string.IsNullOrEmpty(id) ? "it is empty." : SecretNames.Validate(SecretNames.NameOf(id, SecretPart.Server));
            if (why != null)
            {
                throw new RegistryException(InvalidSetErrorId, ErrorKind.InvalidArgument,
                    $"'{id}' cannot name a set: {why} Choose letters, digits and underscores, starting with a letter and not with GITHUB_, such as ACME.");
            }
            var values = new[]
            {
                new KeyValuePair<string, string?>(SecretNames.NameOf(id, SecretPart.Server), server),
                new KeyValuePair<string, string?>(SecretNames.NameOf(id, SecretPart.User), credential.UserName),
                new KeyValuePair<string, string?>(SecretNames.NameOf(id, SecretPart.Password), SecureStrings.Reveal(credential.Password)),
            };
            var set = SecretSetReader.FromEnvironment(values, now).Single();
            if (set.Findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error) is SecretSetFinding error)
            {
                throw new RegistryException(InvalidSetErrorId, ErrorKind.InvalidArgument, $"The set {id} is not written: {error.Message} {error.Fix}");
            }
            return set;
        }

        /// <summary>
        /// Checks the policy for <paramref name="location"/>: only organizations have a visibility, only user and
        /// organization secrets have selected repositories. Returns the visibility to write.
        /// </summary>
        public static SecretVisibility? CheckPolicy(SecretLocation location, SecretVisibility? visibility, IReadOnlyList<string>? selectedRepositories)
        {
            var selecting = selectedRepositories != null && selectedRepositories.Count > 0;
            if (location.Level == SecretLevel.Repository && (visibility != null || selecting))
            {
                throw new RegistryException(InvalidPolicyErrorId, ErrorKind.InvalidArgument,
                    "Repository secrets reach only their repository and take no -Visibility or -SelectedRepository. Drop them, or write the set to the organization or your user account.");
            }
            if (location.Level == SecretLevel.User && visibility != null && visibility != SecretVisibility.Selected)
            {
                throw new RegistryException(InvalidPolicyErrorId, ErrorKind.InvalidArgument,
                    "User secrets reach the repositories selected for them; -Visibility applies to organization secrets. Use -SelectedRepository instead.");
            }
            if (selecting && visibility != null && visibility != SecretVisibility.Selected)
            {
                throw new RegistryException(InvalidPolicyErrorId, ErrorKind.InvalidArgument,
                    $"-SelectedRepository needs -Visibility Selected, not {visibility}. Drop -Visibility or set it to Selected.");
            }
            foreach (var repository in selectedRepositories ?? Array.Empty<string>()) GitHubRepository.SplitFullName(repository);
            if (location.Level == SecretLevel.Repository) return null;
            if (selecting || location.Level == SecretLevel.User) return SecretVisibility.Selected;
            return visibility ?? SecretVisibility.Private;
        }

        /// <summary>
        /// Checks the set and its policy, then writes its three secrets to <paramref name="location"/>. Returns the set as
        /// written (server and user shown; the password is not returned).
        /// </summary>
        public static async Task<RegistrySecretSet> WriteAsync(CodespacesSecretsApi api, SecretLocation location, string id, string server, RegistryCredential credential,
            SecretVisibility? visibility, IReadOnlyList<string>? selectedRepositories, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var set = Check(id, server, credential, now);
            var policy = CheckPolicy(location, visibility, selectedRepositories);
            var selected = new List<GitHubRepository>();
            foreach (var fullName in selectedRepositories ?? Array.Empty<string>())
            {
                var repository = await api.Client.GetRepositoryAsync(fullName, cancellationToken).ConfigureAwait(false);
                if (location.Level == SecretLevel.Organization && !string.Equals(repository.Owner?.Login, location.Owner, StringComparison.OrdinalIgnoreCase))
                {
                    throw new RegistryException(InvalidPolicyErrorId, ErrorKind.InvalidArgument,
                        $"{repository.FullName} does not belong to the organization {location.Owner}, so an organization secret cannot be made available to it.");
                }
                selected.Add(repository);
            }
            var ids = policy == SecretVisibility.Selected ? selected.Select(r => r.Id).ToList() : null;

            var key = await api.GetPublicKeyAsync(location, cancellationToken).ConfigureAwait(false);
            Task Put(SecretPart part, string value) => api.PutAsync(location, SecretNames.NameOf(set.Name, part), value, key, policy, ids, cancellationToken);
            await Put(SecretPart.Server, server).ConfigureAwait(false);
            await Put(SecretPart.User, credential.UserName).ConfigureAwait(false);
            await Put(SecretPart.Password, SecureStrings.Reveal(credential.Password)).ConfigureAwait(false);

            set.Level = location.Level;
            set.Visibility = location.HasPolicy ? policy : null;
            set.SelectedRepositories = selected.Select(r => r.FullName).ToArray();
            set.Password = null;
            return set;
        }

        /// <summary>Removes every secret of the set <paramref name="id"/> at <paramref name="location"/>; returns the set as it was.</summary>
        public static async Task<RegistrySecretSet> RemoveAsync(CodespacesSecretsApi api, SecretLocation location, string id, CancellationToken cancellationToken)
        {
            var listed = await GitHubSecretSetReader.ReadAsync(api, new[] { location }, null, cancellationToken).ConfigureAwait(false);
            var set = listed.FirstOrDefault(s => string.Equals(s.Name, id, StringComparison.OrdinalIgnoreCase))
                ?? throw new RegistryException(NotFoundErrorId, ErrorKind.ObjectNotFound,
                    $"No registry secret set named '{id}' is in {location}. List the sets there with Get-RegistrySecretSet.");
            foreach (var name in set.SecretNames)
            {
                await api.DeleteAsync(location, name, cancellationToken).ConfigureAwait(false);
            }
            return set;
        }
    }
}
