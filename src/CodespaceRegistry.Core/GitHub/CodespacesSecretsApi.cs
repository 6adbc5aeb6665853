using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.GitHub
{
    /// <summary>Where Codespaces secrets live: the authenticated user, a repository, or an organization.</summary>
    public sealed class SecretLocation
    {
        private static readonly Regex Login = new Regex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant);

        private SecretLocation(SecretLevel level, string? owner, string path)
        {
            Level = level;
            Owner = owner;
            Path = path;
        }

        /// <summary>The authenticated user's secrets.</summary>
        public static SecretLocation User { get; } = new SecretLocation(SecretLevel.User, null, "user/codespaces/secrets");

        public static SecretLocation Repository(string fullName)
        {
            var (owner, name) = GitHubRepository.SplitFullName(fullName);
            return new SecretLocation(SecretLevel.Repository, owner + "/" + name, $"repos/{GitHubClient.Segment(owner)}/{GitHubClient.Segment(name)}/codespaces/secrets");
        }

        public static SecretLocation Organization(string login)
        {
            var trimmed = (login ?? "").Trim();
            if (!Login.IsMatch(trimmed))
            {
                throw new RegistryException(GitHubErrorIds.InvalidOrganizationName, ErrorKind.InvalidArgument,
                    $"'{login}' is not an organization name: use its login, such as octo-org.");
            }
            return new SecretLocation(SecretLevel.Organization, trimmed, $"orgs/{GitHubClient.Segment(trimmed)}/codespaces/secrets");
        }

        public SecretLevel Level { get; }

        /// <summary>The organization login or repository <c>owner/name</c>; null for the user.</summary>
        public string? Owner { get; }

        /// <summary>The API path of the level's secrets, relative to the API root.</summary>
        internal string Path { get; }

        /// <summary>Organization and user secrets carry an access policy; repository secrets do not.</summary>
        public bool HasPolicy => Level != SecretLevel.Repository;

        public override string ToString() => Level switch
        {
            SecretLevel.User => "your user account",
            SecretLevel.Repository => "repository " + Owner,
            _ => "organization " + Owner,
        };
    }

    /// <summary>A Codespaces secret as the list endpoints return it: never its value.</summary>
    public sealed class CodespacesSecret
    {
        public string Name { get; set; } = "";

        public DateTimeOffset? CreatedAt { get; set; }

        public DateTimeOffset? UpdatedAt { get; set; }

        /// <summary><c>all</c>, <c>private</c> or <c>selected</c>; null for repository secrets.</summary>
        public string? Visibility { get; set; }

        public string? SelectedRepositoriesUrl { get; set; }

        public override string ToString() => Name;
    }

    /// <summary>A level's public key (<c>.../codespaces/secrets/public-key</c>), base64, to seal values to.</summary>
    public sealed class GitHubPublicKey
    {
        public string KeyId { get; set; } = "";

        public string Key { get; set; } = "";
    }

    /// <summary>The Codespaces secrets endpoints at user, repository and organization level.</summary>
    public sealed class CodespacesSecretsApi
    {
        private readonly GitHubClient _client;

        public CodespacesSecretsApi(GitHubClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        public GitHubClient Client => _client;

        public Task<IReadOnlyList<CodespacesSecret>> ListAsync(SecretLocation location, CancellationToken cancellationToken) =>
            _client.GetAllAsync<CodespacesSecret>(location.Path, "secrets", cancellationToken);

        /// <summary>The repositories a user or organization secret with visibility <c>selected</c> is available to.</summary>
        public Task<IReadOnlyList<GitHubRepository>> ListSelectedRepositoriesAsync(SecretLocation location, string name, CancellationToken cancellationToken) =>
            _client.GetAllAsync<GitHubRepository>($"{location.Path}/{GitHubClient.Segment(name)}/repositories", "repositories", cancellationToken);

        public Task<GitHubPublicKey> GetPublicKeyAsync(SecretLocation location, CancellationToken cancellationToken) =>
            _client.GetAsync<GitHubPublicKey>(location.Path + "/public-key", cancellationToken);

        /// <summary>
        /// Creates or updates one secret, sealing <paramref name="value"/> to <paramref name="key"/>; returns true when
        /// it was created. <paramref name="visibility"/> and <paramref name="selectedRepositoryIds"/> apply to
        /// organization secrets (visibility required) and user secrets (selected repositories only).
        /// </summary>
        public async Task<bool> PutAsync(SecretLocation location, string name, string value, GitHubPublicKey key,
            SecretVisibility? visibility, IReadOnlyList<long>? selectedRepositoryIds, CancellationToken cancellationToken)
        {
            byte[] publicKey;
            try
            {
                publicKey = Convert.FromBase64String(key.Key);
            }
            catch (FormatException e)
            {
                throw new RegistryException(GitHubErrorIds.InvalidPublicKey, ErrorKind.InvalidData,
                    $"The public key GitHub gave for {location} is not base64, so the value cannot be encrypted.", e);
            }
            var body = new Dictionary<string, object>
            {
                ["encrypted_value"] = Convert.ToBase64String(SealedBox.Seal(Encoding.UTF8.GetBytes(value), publicKey)),
                ["key_id"] = key.KeyId,
            };
            if (location.Level == SecretLevel.Organization) body["visibility"] = (visibility ?? SecretVisibility.All).ToString().ToLowerInvariant();
            if (location.HasPolicy && selectedRepositoryIds != null) body["selected_repository_ids"] = selectedRepositoryIds.ToArray();
            var status = await _client.PutAsync($"{location.Path}/{GitHubClient.Segment(name)}", body, cancellationToken).ConfigureAwait(false);
            return status == HttpStatusCode.Created;
        }

        public Task DeleteAsync(SecretLocation location, string name, CancellationToken cancellationToken) =>
            _client.DeleteAsync($"{location.Path}/{GitHubClient.Segment(name)}", cancellationToken);
    }
}
