using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.GitHub
{
    public class GitHubClientTests : IAsyncLifetime
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);
        private FakeGitHubApi _api = null!;

        public async Task InitializeAsync() => _api = await FakeGitHubApi.StartAsync();

        public async Task DisposeAsync() => await _api.DisposeAsync();

        private GitHubClient Client(string token = FakeGitHubApi.Token, TimeProvider? clock = null) =>
            new GitHubClient(_api.ApiUrl, SecureStrings.ToSecureString(token), clock: clock);

        private sealed class Secret
        {
            public string Name { get; set; } = "";
            public string? Visibility { get; set; }
        }

        [Fact]
        public async Task SendsUserAgentBearerTokenAndApiVersionAndReadsTheRepository()
        {
            var added = _api.AddRepository("octo-org/hello-world", "internal");
            using var client = Client();

            var repository = await client.GetRepositoryAsync("octo-org/hello-world", CancellationToken.None);

            Assert.Equal(added.Id, repository.Id);
            Assert.Equal("internal", repository.Visibility);
            Assert.False(repository.IsPublic);
            Assert.True(repository.IsOrganizationOwned);
            var request = Assert.Single(_api.Requests);
            Assert.StartsWith(GitHubClient.UserAgent, request.UserAgent);
            Assert.Equal("Bearer", request.AuthorizationScheme);
            Assert.Equal(GitHubClient.ApiVersion, request.ApiVersion);
        }

        [Fact]
        public async Task FollowsLinkPaginationToTheLastPage()
        {
            var org = _api.AddOrganization("octo-org");
            var ids = Enumerable.Range(0, 205).Select(i => _api.AddRepository($"octo-org/repo-{i:000}").Id).ToArray();
            org.Add("ACME_CONTAINER_REGISTRY_SERVER", "selected", ids);
            using var client = Client();

            var repositories = await client.GetAllAsync<GitHubRepository>("orgs/octo-org/codespaces/secrets/ACME_CONTAINER_REGISTRY_SERVER/repositories", "repositories", CancellationToken.None);

            Assert.Equal(ids, repositories.Select(r => r.Id));
            Assert.Equal(new[] { "per_page=100", "per_page=100&page=2", "per_page=100&page=3" },
                _api.Requests.Select(r => r.PathAndQuery.Split('?')[1]));
        }

        [Fact]
        public async Task RevalidatesWithTheETagAndReusesTheBodyOn304()
        {
            _api.User.Add("ACME_CONTAINER_REGISTRY_USER");
            using var client = Client();

            var first = await client.GetAllAsync<Secret>("user/codespaces/secrets", "secrets", CancellationToken.None);
            var second = await client.GetAllAsync<Secret>("user/codespaces/secrets", "secrets", CancellationToken.None);

            Assert.Equal("ACME_CONTAINER_REGISTRY_USER", Assert.Single(second).Name);
            Assert.Equal(first.Single().Name, second.Single().Name);
            var requests = _api.Requests.ToArray();
            Assert.Equal("", requests[0].IfNoneMatch);
            Assert.StartsWith("W/\"", requests[1].IfNoneMatch);
            Assert.Equal(304, requests[1].Status);
        }

        [Fact]
        public async Task AnETagOfAChangedListIsNotReused()
        {
            _api.User.Add("A_CONTAINER_REGISTRY_USER");
            using var client = Client();
            await client.GetAllAsync<Secret>("user/codespaces/secrets", "secrets", CancellationToken.None);
            _api.User.Add("B_CONTAINER_REGISTRY_USER");

            var second = await client.GetAllAsync<Secret>("user/codespaces/secrets", "secrets", CancellationToken.None);

            Assert.Equal(2, second.Count);
            Assert.Equal(200, _api.Requests.Last().Status);
        }

        [Fact]
        public async Task WaitsOutASecondaryRateLimitForItsRetryAfter()
        {
            _api.AddRepository("octo-org/hello-world");
            _api.LimitSecondary(2, retryAfterSeconds: 3);
            var clock = new RecordingClock(Now);
            using var client = Client(clock: clock);

            var repository = await client.GetRepositoryAsync("octo-org/hello-world", CancellationToken.None);

            Assert.Equal("octo-org/hello-world", repository.FullName);
            Assert.Equal(new[] { TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3) }, clock.Waits);
            Assert.Equal(new[] { 403, 403, 200 }, _api.Requests.Select(r => r.Status));
        }

        [Fact]
        public async Task WaitsForThePrimaryLimitsReset()
        {
            _api.AddRepository("octo-org/hello-world");
            _api.ExhaustPrimary(1, Now.AddSeconds(40));
            var clock = new RecordingClock(Now);
            using var client = Client(clock: clock);

            await client.GetRepositoryAsync("octo-org/hello-world", CancellationToken.None);

            Assert.Equal(new[] { TimeSpan.FromSeconds(40) }, clock.Waits);
        }

        [Fact]
        public async Task ReportsARateLimitLongerThanItWaits()
        {
            _api.AddRepository("octo-org/hello-world");
            _api.ExhaustPrimary(1, Now.AddMinutes(30));
            var clock = new RecordingClock(Now);
            using var client = Client(clock: clock);

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetRepositoryAsync("octo-org/hello-world", CancellationToken.None));

            Assert.Equal(GitHubErrorIds.RateLimited, e.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, e.Kind);
            Assert.Contains("2026-11-22 02:30:00Z", e.Message);
            Assert.Contains("longer than this command waits", e.Message);
            Assert.Empty(clock.Waits);
            Assert.DoesNotContain(FakeGitHubApi.Token, e.Message);
        }

        [Fact]
        public async Task GivesUpOnASecondaryLimitThatDoesNotLift()
        {
            _api.AddRepository("octo-org/hello-world");
            _api.LimitSecondary(10, retryAfterSeconds: 1);
            using var client = Client(clock: new RecordingClock(Now));

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetRepositoryAsync("octo-org/hello-world", CancellationToken.None));

            Assert.Equal(GitHubErrorIds.RateLimited, e.ErrorId);
            Assert.Contains("secondary", e.Message);
            Assert.Contains("did not lift", e.Message);
            Assert.Equal(3, _api.Requests.Count);
        }

        [Fact]
        public async Task NamesTheScopeToAddWhenTheTokenLacksIt()
        {
            _api.AddOrganization("octo-org");
            const string token = "ghp_fake-repo-only-token";
            _api.Tokens[token] = "repo, read:org";
            using var client = Client(token);

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetAllAsync<Secret>("orgs/octo-org/codespaces/secrets", "secrets", CancellationToken.None));

            Assert.Equal(GitHubErrorIds.MissingScope, e.ErrorId);
            Assert.Equal(ErrorKind.PermissionDenied, e.Kind);
            Assert.Contains("admin:org", e.Message);
            Assert.Contains("gh auth refresh -s admin:org", e.Message);
            Assert.DoesNotContain(token, e.Message);
        }

        [Fact]
        public async Task AnUnknownTokenIsUnauthorizedAndNeverQuoted()
        {
            const string token = "ghp_fake-wrong-token";
            using var client = Client(token);

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetAllAsync<Secret>("user/codespaces/secrets", "secrets", CancellationToken.None));

            Assert.Equal(GitHubErrorIds.Unauthorized, e.ErrorId);
            Assert.Contains("Bad credentials", e.Message);
            Assert.DoesNotContain(token, e.Message);
        }

        [Fact]
        public async Task AMissingRepositoryIsNotFoundForAFineGrainedToken()
        {
            const string token = "github_pat_fake-fine-grained-token";
            _api.Tokens[token] = null;
            using var client = Client(token);

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetRepositoryAsync("octo-org/nope", CancellationToken.None));

            Assert.Equal(GitHubErrorIds.NotFound, e.ErrorId);
            Assert.Contains("/repos/octo-org/nope", e.Message);
        }

        [Fact]
        public async Task PutReturnsCreatedThenNoContentAndDeleteRemoves()
        {
            var repository = _api.AddRepository("octo-org/hello-world");
            using var client = Client();
            var body = new { encrypted_value = Convert.ToBase64String(new byte[60]), key_id = repository.Secrets.KeyId };

            Assert.Equal(HttpStatusCode.Created, await client.PutAsync("repos/octo-org/hello-world/codespaces/secrets/ACME_CONTAINER_REGISTRY_USER", body, CancellationToken.None));
            Assert.Equal(HttpStatusCode.NoContent, await client.PutAsync("repos/octo-org/hello-world/codespaces/secrets/ACME_CONTAINER_REGISTRY_USER", body, CancellationToken.None));
            await client.DeleteAsync("repos/octo-org/hello-world/codespaces/secrets/ACME_CONTAINER_REGISTRY_USER", CancellationToken.None);

            Assert.Empty(repository.Secrets.Secrets);
        }

        [Fact]
        public async Task AValidationFailureCarriesGitHubsMessage()
        {
            _api.AddRepository("octo-org/hello-world");
            using var client = Client();

            var e = await Assert.ThrowsAsync<RegistryException>(() =>
                client.PutAsync("repos/octo-org/hello-world/codespaces/secrets/X", new { encrypted_value = "AAAA", key_id = "0" }, CancellationToken.None));

            Assert.Equal(GitHubErrorIds.ValidationFailed, e.ErrorId);
            Assert.Contains("key_id", e.Message);
        }

        [Fact]
        public async Task TalksToGitHubEnterpriseServerUnderApiV3()
        {
            await using var ghes = await FakeGitHubApi.StartAsync("/api/v3");
            var org = ghes.AddOrganization("octo-org");
            foreach (var i in Enumerable.Range(0, 120)) org.Add($"S{i:000}_CONTAINER_REGISTRY_USER");
            var environment = new Dictionary<string, string?> { ["GITHUB_API_URL"] = ghes.ApiUrl.AbsoluteUri.TrimEnd('/'), ["GH_TOKEN"] = FakeGitHubApi.Token };
            using var client = GitHubClient.Create(null, n => environment.GetValueOrDefault(n));

            var secrets = await client.GetAllAsync<Secret>("orgs/octo-org/codespaces/secrets", "secrets", CancellationToken.None);

            Assert.Equal(120, secrets.Count);
            Assert.All(secrets, s => Assert.Equal("all", s.Visibility));
            Assert.All(ghes.Requests, r => Assert.StartsWith("/api/v3/orgs/octo-org/codespaces/secrets?", r.PathAndQuery));
            Assert.Equal(2, ghes.Requests.Count);
        }

        [Fact]
        public void CreateDefaultsToGitHubComAndRequiresAToken()
        {
            var environment = new Dictionary<string, string?> { ["GITHUB_TOKEN"] = "from-github-token" };
            using (var client = GitHubClient.Create(null, n => environment.GetValueOrDefault(n)))
            {
                Assert.Equal(GitHubClient.PublicApiUrl, client.ApiUrl);
            }

            var e = Assert.Throws<RegistryException>(() => GitHubClient.Create(null, _ => null));
            Assert.Equal(GitHubErrorIds.TokenMissing, e.ErrorId);
            Assert.Contains("GH_TOKEN", e.Message);
        }

        [Fact]
        public async Task TheTokenFromGhTokenWinsOverGitHubToken()
        {
            _api.AddRepository("octo-org/hello-world");
            var environment = new Dictionary<string, string?>
            {
                ["GITHUB_API_URL"] = _api.ApiUrl.AbsoluteUri,
                ["GH_TOKEN"] = FakeGitHubApi.Token,
                ["GITHUB_TOKEN"] = "ghp_NotThisOne",
            };
            using var client = GitHubClient.Create(null, n => environment.GetValueOrDefault(n));

            Assert.Equal("octo-org/hello-world", (await client.GetRepositoryAsync("octo-org/hello-world", CancellationToken.None)).FullName);
        }

        [Fact]
        public async Task TheTokenParameterWinsOverTheEnvironment()
        {
            _api.AddRepository("octo-org/hello-world");
            var environment = new Dictionary<string, string?> { ["GITHUB_API_URL"] = _api.ApiUrl.AbsoluteUri, ["GH_TOKEN"] = "ghp_NotThisOne" };
            using var client = GitHubClient.Create(SecureStrings.ToSecureString(FakeGitHubApi.Token), n => environment.GetValueOrDefault(n));

            Assert.Equal("octo-org/hello-world", (await client.GetRepositoryAsync("octo-org/hello-world", CancellationToken.None)).FullName);
        }

        [Theory]
        [InlineData(" ghp_canary7d1e0c")]
        [InlineData("ghp_canary7d1e0c\n")]
        [InlineData("ghp_canary7d1e0c\u00a0")]
        [InlineData("")]
        public void RefusesATokenThatIsNotOneHeaderSafeWordWithoutQuotingIt(string token)
        {
            var e = Assert.Throws<RegistryException>(() => new GitHubClient(GitHubClient.PublicApiUrl, SecureStrings.ToSecureString(token)));
            Assert.Equal(GitHubErrorIds.InvalidToken, e.ErrorId);
            Assert.DoesNotContain("canary", e.Message);
        }

        [Fact]
        public async Task AnUnknownPathIsGitHubsNotFound()
        {
            using var client = Client();
            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetAsync<GitHubRepository>("no/such/endpoint", CancellationToken.None));
            Assert.Equal(GitHubErrorIds.NotFound, e.ErrorId);
        }

        [Theory]
        [InlineData("ftp://ghe.example.com/api/v3", ErrorKind.InvalidArgument)]
        [InlineData("not a url", ErrorKind.InvalidArgument)]
        [InlineData("http://ghe.example.com/api/v3", ErrorKind.Security)]
        public void RefusesAnApiUrlThatIsNotHttpsOrLoopback(string url, ErrorKind kind)
        {
            var e = Assert.Throws<RegistryException>(() => GitHubClient.ApiUrlFrom(url));
            Assert.Equal(GitHubErrorIds.InvalidApiUrl, e.ErrorId);
            Assert.Equal(kind, e.Kind);
        }

        [Theory]
        [InlineData("admin:org", "repo, read:org", "admin:org")]
        [InlineData("admin:org", "admin:org", null)]
        [InlineData("read:org", "admin:org", null)]
        [InlineData("read:org", "write:org", null)]
        [InlineData("write:packages", "read:packages", "write:packages")]
        [InlineData("codespace:secrets, codespace", "codespace", null)]
        [InlineData("codespace:secrets", "codespace", null)]
        [InlineData("repo:status", "repo", null)]
        [InlineData("public_repo", "repo", null)]
        [InlineData("repo", "", "repo")]
        [InlineData("repo", null, null)]
        [InlineData("", "repo", null)]
        public void DecidesWhichScopeIsMissing(string accepted, string? granted, string? missing) =>
            Assert.Equal(missing, GitHubClient.MissingScope(accepted, granted));

        [Theory]
        [InlineData("octo/hello.world", "octo", "hello.world")]
        [InlineData(" octo-org/repo_1 ", "octo-org", "repo_1")]
        public void SplitsARepositoryName(string fullName, string owner, string name) =>
            Assert.Equal((owner, name), GitHubRepository.SplitFullName(fullName));

        [Theory]
        [InlineData("hello-world")]
        [InlineData("octo/hello/world")]
        [InlineData("-octo/x")]
        [InlineData("octo/..")]
        public void RefusesWhatIsNotARepositoryName(string fullName) =>
            Assert.Equal(GitHubErrorIds.InvalidRepositoryName, Assert.Throws<RegistryException>(() => GitHubRepository.SplitFullName(fullName)).ErrorId);
    }
}
