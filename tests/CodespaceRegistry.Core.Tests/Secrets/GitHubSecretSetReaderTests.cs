using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Secrets
{
    public class GitHubSecretSetReaderTests
    {
        private static readonly string[] Parts = { "SERVER", "USER", "PASSWORD" };

        private static GitHubRepository Repo(string visibility = "private", string fullName = "octo-org/app") => new GitHubRepository
        {
            Id = 42,
            FullName = fullName,
            Name = fullName.Split('/')[1],
            Visibility = visibility,
            Private = visibility != "public",
            Owner = new GitHubAccount { Login = fullName.Split('/')[0], Type = "Organization" },
        };

        /// <summary>A level listing the whole set <paramref name="id"/>, each secret with <paramref name="visibility"/> and <paramref name="selected"/>.</summary>
        private static GitHubSecretSetReader.Listing Level(SecretLocation location, string id, string? visibility = "all", params string[] selected) =>
            Secrets(location, Parts.Select(p => ($"{id}_CONTAINER_REGISTRY_{p}", visibility, selected)).ToArray());

        private static GitHubSecretSetReader.Listing Secrets(SecretLocation location, params (string Name, string? Visibility, string[] Selected)[] secrets) =>
            new GitHubSecretSetReader.Listing(location,
                secrets.Select(s => new CodespacesSecret { Name = s.Name, Visibility = location.HasPolicy ? s.Visibility : null }).ToList(),
                secrets.Where(s => s.Visibility == "selected").ToDictionary(s => s.Name, s => (IReadOnlyList<string>)s.Selected));

        private static IReadOnlyList<RegistrySecretSet> Build(GitHubRepository? repository, params GitHubSecretSetReader.Listing[] listings) =>
            GitHubSecretSetReader.Build(listings, repository);

        private static RegistrySecretSet At(IEnumerable<RegistrySecretSet> sets, SecretLevel level) => sets.Single(s => s.Level == level);

        private static readonly SecretLocation Org = SecretLocation.Organization("octo-org");
        private static readonly SecretLocation RepoLevel = SecretLocation.Repository("octo-org/app");

        [Fact]
        public void TheRepositorySetWinsOverTheOrganizationSet()
        {
            var sets = Build(Repo(), Level(Org, "ACME"), Level(RepoLevel, "ACME"));

            Assert.True(At(sets, SecretLevel.Repository).IsEffective);
            var org = At(sets, SecretLevel.Organization);
            Assert.True(org.AppliesToRepository);
            Assert.False(org.IsEffective);
            Assert.Contains(org.Findings, f => f.Id == "OverriddenByRepositorySet");
            Assert.All(sets, s => Assert.True(s.IsValid));
        }

        [Theory]
        [InlineData(true, false)]
        [InlineData(false, true)]
        public void AUserSetAndARepositoryOrOrganizationSetOfOneNameAreUndetermined(bool repositorySet, bool organizationSet)
        {
            var listings = new List<GitHubSecretSetReader.Listing> { Level(SecretLocation.User, "ACME", "selected", "octo-org/app") };
            if (repositorySet) listings.Add(Level(RepoLevel, "ACME"));
            if (organizationSet) listings.Add(Level(Org, "ACME"));

            var sets = Build(Repo(), listings.ToArray());

            Assert.All(sets, s => Assert.Null(s.IsEffective));
            Assert.All(sets, s => Assert.Contains(s.Findings, f => f.Id == "EffectiveSetUndetermined"));
        }

        [Fact]
        public void WithAllThreeLevelsTheOrganizationLosesAndUserVersusRepositoryIsUndetermined()
        {
            var sets = Build(Repo(), Level(SecretLocation.User, "ACME", "selected", "octo-org/app"), Level(RepoLevel, "ACME"), Level(Org, "ACME"));

            Assert.False(At(sets, SecretLevel.Organization).IsEffective);
            Assert.Null(At(sets, SecretLevel.Repository).IsEffective);
            Assert.Null(At(sets, SecretLevel.User).IsEffective);
        }

        [Fact]
        public void AUserSetNotSelectedForTheRepositoryDoesNotCompete()
        {
            var sets = Build(Repo(), Level(SecretLocation.User, "ACME", "selected", "octo-org/other"), Level(RepoLevel, "ACME"));

            Assert.True(At(sets, SecretLevel.Repository).IsEffective);
            var user = At(sets, SecretLevel.User);
            Assert.False(user.AppliesToRepository);
            Assert.False(user.IsEffective);
            Assert.Equal(new[] { "octo-org/other" }, user.SelectedRepositories);
            Assert.Contains(user.Findings, f => f.Id == "SetNotAssignedToRepository" && f.Fix.Contains("https://github.com/settings/codespaces"));
        }

        [Theory]
        [InlineData("selected", "octo-org/app", true)]
        [InlineData("selected", "octo-org/other", false)]
        [InlineData("all", null, true)]
        [InlineData("private", null, true)]
        public void AnOrganizationSetReachesThePrivateRepositoryByItsPolicy(string visibility, string? selected, bool applies)
        {
            var set = Build(Repo("private"), Level(Org, "ACME", visibility, selected == null ? Array.Empty<string>() : new[] { selected })).Single();

            Assert.Equal(applies, set.AppliesToRepository);
            Assert.Equal(applies, set.IsEffective);
            Assert.Equal(Enum.Parse<SecretVisibility>(visibility, true), set.Visibility);
            Assert.Equal(!applies, set.Findings.Any(f => f.Id == "SetNotAssignedToRepository"));
        }

        [Fact]
        public void APrivatePolicyDoesNotReachAPublicRepository()
        {
            var set = Build(Repo("public"), Level(Org, "ACME", "private")).Single();

            Assert.False(set.AppliesToRepository);
            Assert.False(set.IsEffective);
            var finding = Assert.Single(set.Findings, f => f.Id == "PrivatePolicyForPublicRepository");
            Assert.Equal(FindingSeverity.Error, finding.Severity);
            Assert.Contains("https://github.com/organizations/octo-org/settings/codespaces", finding.Fix);
        }

        [Fact]
        public void AnInternalRepositoryIsReachedByAPrivatePolicy() =>
            Assert.True(Build(Repo("internal"), Level(Org, "ACME", "private")).Single().IsEffective);

        [Fact]
        public void SecretsOfOneSetWithDifferentPoliciesAreReported()
        {
            var set = Build(Repo(), Secrets(Org,
                ("ACME_CONTAINER_REGISTRY_SERVER", "all", Array.Empty<string>()),
                ("ACME_CONTAINER_REGISTRY_USER", "all", Array.Empty<string>()),
                ("ACME_CONTAINER_REGISTRY_PASSWORD", "selected", new[] { "octo-org/other" }))).Single();

            Assert.Null(set.Visibility);
            Assert.False(set.AppliesToRepository);
            var finding = Assert.Single(set.Findings, f => f.Id == "SetPoliciesDiffer");
            Assert.Contains("ACME_CONTAINER_REGISTRY_PASSWORD: selected octo-org/other", finding.Message);
        }

        [Fact]
        public void ASetSplitAcrossLevelsIsReportedWhereItIsSplit()
        {
            var sets = Build(Repo(),
                Secrets(Org, ("ACME_CONTAINER_REGISTRY_SERVER", "all", Array.Empty<string>())),
                Secrets(RepoLevel, ("ACME_CONTAINER_REGISTRY_USER", null, Array.Empty<string>()), ("ACME_CONTAINER_REGISTRY_PASSWORD", null, Array.Empty<string>())));

            Assert.All(sets, s => Assert.Contains(s.Findings, f => f.Id == "SetSplitAcrossLevels"));
            Assert.All(sets, s => Assert.DoesNotContain(s.Findings, f => f.Id == "IncompleteSet"));
            Assert.Contains("organization octo-org", At(sets, SecretLevel.Repository).Findings.First(f => f.Id == "SetSplitAcrossLevels").Message);
        }

        [Fact]
        public void ASetMissingASecretEverywhereIsIncomplete()
        {
            var set = Build(null, Secrets(RepoLevel, ("ACME_CONTAINER_REGISTRY_SERVER", null, Array.Empty<string>()), ("ACME_CONTAINER_REGISTRY_USER", null, Array.Empty<string>()))).Single();

            Assert.False(set.IsComplete);
            Assert.Equal("ACME_CONTAINER_REGISTRY_PASSWORD", Assert.Single(set.Findings, f => f.Id == "IncompleteSet").SecretName);
        }

        [Fact]
        public void NamingRulesAreChecked()
        {
            var sets = Build(null,
                Secrets(SecretLocation.User, ("ACME_CONTAINER_REGISTRY_USERNAME", "all", Array.Empty<string>())),
                Level(RepoLevel, "9LIVES"));

            Assert.Contains(sets.Single(s => s.Name == "ACME").Findings, f => f.Id == "MisnamedSecret" && f.Fix.Contains("ACME_CONTAINER_REGISTRY_USER"));
            Assert.Contains(sets.Single(s => s.Name == "9LIVES").Findings, f => f.Id == "InvalidSecretName");
        }

        [Fact]
        public void WithoutARepositoryNothingIsDecidedAndNoValueIsKnown()
        {
            var set = Build(null, Level(Org, "ACME", "selected", "octo-org/app")).Single();

            Assert.Null(set.AppliesToRepository);
            Assert.Null(set.IsEffective);
            Assert.Equal(SecretVisibility.Selected, set.Visibility);
            Assert.Equal(new[] { "octo-org/app" }, set.SelectedRepositories);
            Assert.True(set.IsComplete);
            Assert.Null(set.ServerValue);
            Assert.Null(set.User);
            Assert.Null(set.Password);
            Assert.True(set.IsValid);
        }

        [Fact]
        public async Task ReadsEveryLevelOfARepositoryFromTheApi()
        {
            await using var api = await FakeGitHubApi.StartAsync();
            var app = api.AddRepository("octo-org/app", "private");
            var org = api.AddOrganization("octo-org");
            foreach (var p in Parts) org.Add($"ACME_CONTAINER_REGISTRY_{p}", "selected", app.Id);
            foreach (var p in Parts) app.Secrets.Add($"HUB_CONTAINER_REGISTRY_{p}");
            foreach (var p in Parts) api.User.Add($"MINE_CONTAINER_REGISTRY_{p}", "selected", app.Id);
            api.User.Add("UNRELATED_TOKEN");
            using var client = new GitHubClient(api.ApiUrl, SecureStrings.ToSecureString(FakeGitHubApi.Token));
            var repository = await client.GetRepositoryAsync("octo-org/app", CancellationToken.None);

            var sets = await GitHubSecretSetReader.ReadAsync(new CodespacesSecretsApi(client), GitHubSecretSetReader.LocationsFor(repository), repository, CancellationToken.None);

            Assert.Equal(new[] { ("ACME", SecretLevel.Organization), ("HUB", SecretLevel.Repository), ("MINE", SecretLevel.User) }, sets.Select(s => (s.Name, s.Level)));
            Assert.All(sets, s => Assert.True(s.IsEffective));
            Assert.Equal(new[] { "octo-org/app" }, sets[0].SelectedRepositories);
            Assert.Equal(6, api.Requests.Count(r => r.PathAndQuery.Contains("/repositories?"))); // three selected secrets each at user and organization level
        }

        [Fact]
        public async Task AnUnderScopedTokenIsAnErrorNotAnEmptyResult()
        {
            await using var api = await FakeGitHubApi.StartAsync();
            api.AddOrganization("octo-org");
            api.Tokens["ghp_RepoOnly"] = "repo";
            using var client = new GitHubClient(api.ApiUrl, SecureStrings.ToSecureString("ghp_RepoOnly"));

            var e = await Assert.ThrowsAsync<RegistryException>(() =>
                GitHubSecretSetReader.ReadAsync(new CodespacesSecretsApi(client), new[] { SecretLocation.Organization("octo-org") }, null, CancellationToken.None));

            Assert.Equal(GitHubErrorIds.MissingScope, e.ErrorId);
            Assert.Contains("admin:org", e.Message);
        }
    }
}
