using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Access
{
    /// <summary>Decisions on facts read from the fake GitHub API's packages and repositories endpoints.</summary>
    public sealed class PackageAccessResolverTests : IAsyncLifetime
    {
        private const string PackagesToken = "ghp_fake-packages-token-for-tests";
        private FakeGitHubApi _api = null!;
        private GitHubClient _client = null!;

        public async Task InitializeAsync()
        {
            _api = await FakeGitHubApi.StartAsync();
            _api.Tokens[PackagesToken] = "read:packages, repo";
            _client = new GitHubClient(_api.ApiUrl, SecureStrings.ToSecureString(PackagesToken));
            _api.AddRepository("octo-org/web", "private");
            _api.AddRepository("octo-org/site", "public");
        }

        public async Task DisposeAsync()
        {
            _client.Dispose();
            await _api.DisposeAsync();
        }

        private Task<PackageAccessDecision> Resolve(PackageAccessResolver resolver, string package, string repository, bool? inherit = null) =>
            resolver.ResolveAsync(new PackageAccessRequest(PackageReference.Parse(package), repository) { InheritAccess = inherit }, CancellationToken.None);

        [Fact]
        public async Task FactsOfAnOrganizationPackageWithASlashInItsName()
        {
            _api.AddPackage("octo-org", "container", "tools/lint", "private", "octo-org/web");
            var decision = await Resolve(new PackageAccessResolver(new GitHubPackageFactsSource(_client)), "ghcr.io/octo-org/tools/lint:1", "octo-org/web", inherit: true);
            Assert.Equal((PackageAccessOutcome.Seamless, PackageAccessRule.SameRepository), (decision.Outcome, decision.Rule));
            Assert.Equal(Visibility.Private, decision.Facts.PackageVisibility);
            Assert.Equal("octo-org/web", decision.Facts.LinkedRepository);
            Assert.Equal(Visibility.Private, decision.Facts.RepositoryVisibility);
            Assert.Equal("https://github.com/orgs/octo-org/packages/container/tools%2Flint/settings", decision.SettingsUrl);
            Assert.Contains(_api.Requests, r => r.PathAndQuery == "/orgs/octo-org/packages/container/tools%2Flint" && r.Status == 200);
        }

        [Fact]
        public async Task AUserPackageIsAskedOfUsersAfterOrgs()
        {
            _api.AddRepository("octocat/dotfiles", "private", ownerType: "User");
            _api.AddPackage("octocat", "container", "dev", "private", ownerType: "User");
            var decision = await Resolve(new PackageAccessResolver(new GitHubPackageFactsSource(_client)), "ghcr.io/octocat/dev", "octocat/dotfiles");
            Assert.Equal((PackageAccessOutcome.NeedsGrant, PackageAccessRule.PrivatePackageNeedsGrant), (decision.Outcome, decision.Rule));
            Assert.Equal("https://github.com/users/octocat/packages/container/dev/settings", decision.SettingsUrl);
            Assert.Equal(new[] { ("/orgs/octocat/packages/container/dev", 404), ("/users/octocat/packages/container/dev", 200) },
                _api.Requests.Where(r => r.PathAndQuery.Contains("/packages/")).Select(r => (r.PathAndQuery, r.Status)));
        }

        [Fact]
        public async Task APublicRepositoryAndAnInternalPackage()
        {
            _api.AddPackage("octo-org", "npm", "lib", "internal");
            var resolver = new PackageAccessResolver(new GitHubPackageFactsSource(_client));
            Assert.Equal(PackageAccessRule.PublicRepositoryNeedsGrant, (await Resolve(resolver, "npm.pkg.github.com/@octo-org/lib", "octo-org/site")).Rule);
            Assert.Equal(PackageAccessRule.InternalPackage, (await Resolve(resolver, "npm.pkg.github.com/@octo-org/lib", "octo-org/web")).Rule);
        }

        [Fact]
        public async Task FactsAreReadOncePerPackageAndRepository()
        {
            _api.AddPackage("octo-org", "container", "app", "public");
            var resolver = new PackageAccessResolver(new GitHubPackageFactsSource(_client));
            foreach (var tag in new[] { "1", "2", "latest" })
            {
                Assert.Equal(PackageAccessOutcome.Public, (await Resolve(resolver, "ghcr.io/octo-org/app:" + tag, "octo-org/web")).Outcome);
            }
            Assert.Single(_api.Requests, r => r.PathAndQuery.StartsWith("/orgs/octo-org/packages/", StringComparison.Ordinal));
            Assert.Single(_api.Requests, r => r.PathAndQuery == "/repos/octo-org/web");
        }

        [Fact]
        public async Task AnUnknownPackageIsUndetermined()
        {
            var decision = await Resolve(new PackageAccessResolver(new GitHubPackageFactsSource(_client)), "ghcr.io/octo-org/ghost", "octo-org/web");
            Assert.Equal((PackageAccessOutcome.Undetermined, PackageAccessRule.PackageFactsUnavailable), (decision.Outcome, decision.Rule));
            Assert.Contains("knows no container package ghost of octo-org", decision.Facts.Unavailable);
        }

        [Fact]
        public async Task ATokenWithoutReadPackagesIsReportedNotGuessed()
        {
            _api.AddPackage("octo-org", "container", "app", "private", "octo-org/web");
            using var client = new GitHubClient(_api.ApiUrl, SecureStrings.ToSecureString(FakeGitHubApi.Token));
            var decision = await Resolve(new PackageAccessResolver(new GitHubPackageFactsSource(client)), "ghcr.io/octo-org/app", "octo-org/web", inherit: true);
            Assert.Equal(PackageAccessOutcome.Undetermined, decision.Outcome);
            Assert.Contains("read:packages", decision.Facts.Unavailable);
            Assert.DoesNotContain(FakeGitHubApi.Token, decision.Reason + decision.Fix + decision.Facts.Unavailable);
        }

        [Fact]
        public async Task WithoutATokenNothingIsAsked()
        {
            var decision = await Resolve(new PackageAccessResolver(null), "ghcr.io/octo-org/app", "octo-org/web");
            Assert.Equal(PackageAccessRule.PackageFactsUnavailable, decision.Rule);
            Assert.Contains("No GitHub token", decision.Reason);
        }

        [Fact]
        public async Task PublishAndOtherRegistriesNeedNoFacts()
        {
            var resolver = new PackageAccessResolver(new GitHubPackageFactsSource(_client));
            var publish = await resolver.ResolveAsync(new PackageAccessRequest(PackageReference.Parse("ghcr.io/octo-org/app"), "octo-org/web", PackageOperation.Publish), CancellationToken.None);
            Assert.Equal(PackageAccessRule.PublishNeedsClassicPat, publish.Rule);
            Assert.Equal(PackageAccessRule.NoSecretSetForServer, (await Resolve(resolver, "quay.io/octo/app:1", "octo-org/web")).Rule);
            Assert.Empty(_api.Requests);
        }
    }
}
