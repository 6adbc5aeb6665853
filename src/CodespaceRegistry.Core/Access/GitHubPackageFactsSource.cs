using System;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.GitHub;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// Package and repository facts from the GitHub REST API: <c>GET /orgs/{org}/packages/{type}/{name}</c>, then
    /// <c>/users/{user}/packages/...</c> when no organization has it (names with '/' are sent as <c>%2F</c>), and
    /// <c>GET /repos/{owner}/{repo}</c>.
    /// </summary>
    public sealed class GitHubPackageFactsSource : IPackageFactsSource
    {
        private readonly GitHubClient _client;

        public GitHubPackageFactsSource(GitHubClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        public async Task<PackageFacts?> GetPackageAsync(string owner, string packageType, string name, CancellationToken cancellationToken)
        {
            foreach (var scope in new[] { "orgs", "users" })
            {
                GitHubPackage package;
                try
                {
                    package = await _client.GetAsync<GitHubPackage>(
                        $"{scope}/{GitHubClient.Segment(owner)}/packages/{GitHubClient.Segment(packageType)}/{GitHubClient.Segment(name)}", cancellationToken).ConfigureAwait(false);
                }
                catch (RegistryException e) when (e.ErrorId == GitHubErrorIds.NotFound)
                {
                    continue;
                }
                return new PackageFacts(package.Owner?.Login ?? owner, package.Owner?.Type == "Organization" || (package.Owner == null && scope == "orgs"),
                    VisibilityOf(package.Visibility, $"the package {owner}/{name}"), package.Repository?.FullName);
            }
            return null;
        }

        public async Task<RepositoryFacts?> GetRepositoryAsync(string fullName, CancellationToken cancellationToken)
        {
            GitHubRepository repository;
            try
            {
                repository = await _client.GetRepositoryAsync(fullName, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.ErrorId == GitHubErrorIds.NotFound)
            {
                return null;
            }
            var visibility = repository.Visibility != null ? VisibilityOf(repository.Visibility, fullName)
                : repository.IsPublic ? Visibility.Public : Visibility.Private;
            return new RepositoryFacts(repository.FullName, repository.Owner?.Login ?? fullName.Split('/')[0], repository.IsOrganizationOwned, visibility);
        }

        private static Visibility VisibilityOf(string value, string what) =>
            Enum.TryParse<Visibility>(value, ignoreCase: true, out var visibility)
                ? visibility
                : throw new RegistryException(GitHubErrorIds.RequestFailed, ErrorKind.InvalidData,
                    $"GitHub reports the visibility of {what} as '{value}', which is none of public, private and internal.");
    }
}
