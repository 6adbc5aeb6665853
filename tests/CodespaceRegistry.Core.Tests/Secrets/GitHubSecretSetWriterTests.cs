using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Secrets
{
    public class GitHubSecretSetWriterTests : IAsyncLifetime
    {
        private const string Canary = "canary-Pa55w0rd-7d1e0c";
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);
        private FakeGitHubApi _api = null!;
        private GitHubClient _client = null!;

        public async Task InitializeAsync()
        {
            _api = await FakeGitHubApi.StartAsync();
            _client = new GitHubClient(_api.ApiUrl, SecureStrings.ToSecureString(FakeGitHubApi.Token));
        }

        public async Task DisposeAsync()
        {
            _client.Dispose();
            await _api.DisposeAsync();
        }

        private CodespacesSecretsApi Api => new CodespacesSecretsApi(_client);

        private static RegistryCredential Credential(string password = Canary) => new RegistryCredential("octocat", SecureStrings.ToSecureString(password));

        private static void AssertOpensTo(FakeSecretStore store, string id, string server, string user, string password)
        {
            Assert.Equal(server, store.Open(id + "_CONTAINER_REGISTRY_SERVER"));
            Assert.Equal(user, store.Open(id + "_CONTAINER_REGISTRY_USER"));
            Assert.Equal(password, store.Open(id + "_CONTAINER_REGISTRY_PASSWORD"));
        }

        [Fact]
        public async Task WritesThreeSealedSecretsToAnOrganizationForSelectedRepositories()
        {
            var org = _api.AddOrganization("octo-org");
            var app = _api.AddRepository("octo-org/app");
            var web = _api.AddRepository("octo-org/web");

            var set = await GitHubSecretSetWriter.WriteAsync(Api, SecretLocation.Organization("octo-org"), "ACME", "ghcr.io", Credential(),
                null, new[] { "octo-org/app", "octo-org/web" }, Now, CancellationToken.None);

            AssertOpensTo(org, "ACME", "ghcr.io", "octocat", Canary);
            Assert.All(org.Secrets.Values, s => Assert.Equal("selected", s.Visibility));
            Assert.All(org.Secrets.Values, s => Assert.Equal(new[] { app.Id, web.Id }, s.SelectedRepositoryIds));
            Assert.Equal(SecretLevel.Organization, set.Level);
            Assert.Equal(SecretVisibility.Selected, set.Visibility);
            Assert.Equal(new[] { "octo-org/app", "octo-org/web" }, set.SelectedRepositories);
            Assert.Null(set.Password);
            Assert.Equal("ghcr.io", set.Server!.Host);
            Assert.Single(_api.Requests, r => r.PathAndQuery.EndsWith("/public-key"));
        }

        [Fact]
        public async Task AnOrganizationSetWithoutSelectedRepositoriesIsPrivateUnlessToldOtherwise()
        {
            var org = _api.AddOrganization("octo-org");

            await GitHubSecretSetWriter.WriteAsync(Api, SecretLocation.Organization("octo-org"), "ACME", "ghcr.io", Credential(), null, null, Now, CancellationToken.None);
            Assert.All(org.Secrets.Values, s => Assert.Equal("private", s.Visibility));

            await GitHubSecretSetWriter.WriteAsync(Api, SecretLocation.Organization("octo-org"), "ACME", "ghcr.io", Credential(), SecretVisibility.All, null, Now, CancellationToken.None);
            Assert.All(org.Secrets.Values, s => Assert.Equal("all", s.Visibility));
        }

        [Fact]
        public async Task WritesARepositorySet()
        {
            var app = _api.AddRepository("octo-org/app");

            var set = await GitHubSecretSetWriter.WriteAsync(Api, SecretLocation.Repository("octo-org/app"), "ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                new RegistryCredential("AKIAIOSFODNN7EXAMPLE", SecureStrings.ToSecureString("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")), null, null, Now, CancellationToken.None);

            AssertOpensTo(app.Secrets, "ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            Assert.Equal(EcrMode.AccessKey, set.EcrMode);
            Assert.Null(set.Visibility);
        }

        [Fact]
        public async Task WritesAUserSetForItsRepositoriesAndReadsItBackAsEffective()
        {
            var app = _api.AddRepository("octo/app", "private", "User");

            await GitHubSecretSetWriter.WriteAsync(Api, SecretLocation.User, "ACME", "ghcr.io", Credential(), null, new[] { "octo/app" }, Now, CancellationToken.None);

            AssertOpensTo(_api.User, "ACME", "ghcr.io", "octocat", Canary);
            Assert.All(_api.User.Secrets.Values, s => Assert.Equal(new[] { app.Id }, s.SelectedRepositoryIds));
            var repository = await _client.GetRepositoryAsync("octo/app", CancellationToken.None);
            var sets = await GitHubSecretSetReader.ReadAsync(Api, GitHubSecretSetReader.LocationsFor(repository), repository, CancellationToken.None);
            var read = Assert.Single(sets);
            Assert.True(read.IsEffective);
            Assert.True(read.IsComplete);
        }

        [Theory]
        [InlineData(" " + Canary, "WhitespaceInValue")]
        [InlineData("github_pat_" + Canary, "fine-grained")]
        public async Task RefusesASetACodespaceCouldNotUseAndNeverShowsThePassword(string password, string why)
        {
            _api.AddOrganization("octo-org");

            var e = await Assert.ThrowsAsync<RegistryException>(() => GitHubSecretSetWriter.WriteAsync(Api, SecretLocation.Organization("octo-org"), "ACME", "ghcr.io",
                Credential(password), null, null, Now, CancellationToken.None));

            Assert.Equal(GitHubSecretSetWriter.InvalidSetErrorId, e.ErrorId);
            Assert.DoesNotContain(Canary, e.Message);
            Assert.Contains(why == "WhitespaceInValue" ? "white space" : why, e.Message);
            Assert.Empty(_api.Requests);
        }

        [Theory]
        [InlineData("")]
        [InlineData("GITHUB_ACME")]
        [InlineData("9LIVES")]
        [InlineData("MY-REG")]
        public void RefusesAnIdentifierGitHubWouldRefuse(string id) =>
            Assert.Equal(GitHubSecretSetWriter.InvalidSetErrorId,
                Assert.Throws<RegistryException>(() => GitHubSecretSetWriter.Check(id, "ghcr.io", Credential(), Now)).ErrorId);

        [Theory]
        [InlineData("repository", SecretVisibility.All, null)]
        [InlineData("repository", null, "octo-org/app")]
        [InlineData("user", SecretVisibility.Private, null)]
        [InlineData("organization", SecretVisibility.All, "octo-org/app")]
        [InlineData("organization", null, "not-a-repository")]
        public void RefusesAPolicyTheLevelCannotHave(string level, SecretVisibility? visibility, string? selected)
        {
            var location = level switch
            {
                "repository" => SecretLocation.Repository("octo-org/app"),
                "user" => SecretLocation.User,
                _ => SecretLocation.Organization("octo-org"),
            };
            var e = Assert.Throws<RegistryException>(() => GitHubSecretSetWriter.CheckPolicy(location, visibility, selected == null ? null : new[] { selected }));
            Assert.Contains(e.ErrorId, new[] { GitHubSecretSetWriter.InvalidPolicyErrorId, GitHubErrorIds.InvalidRepositoryName });
        }

        [Fact]
        public async Task RefusesToSelectARepositoryOfAnotherOrganization()
        {
            _api.AddOrganization("octo-org");
            _api.AddRepository("other-org/app");

            var e = await Assert.ThrowsAsync<RegistryException>(() => GitHubSecretSetWriter.WriteAsync(Api, SecretLocation.Organization("octo-org"), "ACME", "ghcr.io",
                Credential(), null, new[] { "other-org/app" }, Now, CancellationToken.None));

            Assert.Equal(GitHubSecretSetWriter.InvalidPolicyErrorId, e.ErrorId);
            Assert.Empty(_api.Organizations["octo-org"].Secrets);
        }

        [Fact]
        public async Task RemovesEverySecretOfTheSetAndNothingElse()
        {
            var org = _api.AddOrganization("octo-org");
            foreach (var p in new[] { "SERVER", "USER", "PASSWORD" }) org.Add("ACME_CONTAINER_REGISTRY_" + p);
            org.Add("ACME_CONTAINER_REGISTRY_USERNAME");
            org.Add("OTHER_CONTAINER_REGISTRY_SERVER");

            var removed = await GitHubSecretSetWriter.RemoveAsync(Api, SecretLocation.Organization("octo-org"), "acme", CancellationToken.None);

            Assert.Equal(4, removed.SecretNames.Count);
            Assert.Equal(new[] { "OTHER_CONTAINER_REGISTRY_SERVER" }, org.Secrets.Keys);
        }

        [Fact]
        public async Task RemovingASetThatIsNotThereIsNotFound()
        {
            _api.AddRepository("octo-org/app");

            var e = await Assert.ThrowsAsync<RegistryException>(() => GitHubSecretSetWriter.RemoveAsync(Api, SecretLocation.Repository("octo-org/app"), "ACME", CancellationToken.None));

            Assert.Equal(GitHubSecretSetWriter.NotFoundErrorId, e.ErrorId);
            Assert.Contains("repository octo-org/app", e.Message);
        }
    }
}
