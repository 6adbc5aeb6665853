using System;
using System.Collections.Generic;
using System.Linq;
using CodespaceRegistry.Access;
using CodespaceRegistry.Secrets;
using Xunit;

namespace CodespaceRegistry.Tests.Access
{
    /// <summary>The decision table: every rule of DESIGN.md §1 and its exceptions, one row each.</summary>
    public class PackageAccessRulesTests
    {
        private const string Canary = "canary-Pa55w0rd-3c9a41";

        private sealed class Case
        {
            public string Package { get; set; } = "ghcr.io/octo-org/app:1";
            public string Repository { get; set; } = "octo-org/web";
            public PackageOperation Operation { get; set; }
            public string PackageOwner { get; set; } = "octo-org";
            public Visibility PackageVisibility { get; set; } = Visibility.Private;
            public string? Linked { get; set; }
            public Visibility RepositoryVisibility { get; set; } = Visibility.Private;
            public bool PackageKnown { get; set; } = true;
            public bool RepositoryKnown { get; set; } = true;
            public bool? Inherit { get; set; }
            public string[]? Granted { get; set; }
            public RegistrySecretSet[] Sets { get; set; } = Array.Empty<RegistrySecretSet>();

            public PackageAccessDecision Decide()
            {
                var request = new PackageAccessRequest(PackageReference.Parse(Package), Repository, Operation)
                {
                    InheritAccess = Inherit,
                    GrantedRepositories = Granted,
                    SecretSets = Sets,
                };
                var package = PackageKnown ? new PackageFacts(PackageOwner, true, PackageVisibility, Linked) : null;
                var owner = Repository.Split('/')[0];
                var repository = RepositoryKnown ? new RepositoryFacts(Repository, owner, true, RepositoryVisibility) : null;
                return PackageAccessRules.Decide(request, package, repository, PackageKnown ? null : "No token was given, so the packages API was not asked.");
            }
        }

        private static RegistrySecretSet EnvironmentSet(string id, string server, bool complete = true, string user = "octocat", string password = Canary)
        {
            var variables = new Dictionary<string, string?>
            {
                [id + "_CONTAINER_REGISTRY_SERVER"] = server,
                [id + "_CONTAINER_REGISTRY_USER"] = user,
            };
            if (complete) variables[id + "_CONTAINER_REGISTRY_PASSWORD"] = password;
            return SecretSetReader.FromEnvironment(variables, DateTimeOffset.UnixEpoch).Single();
        }

        private static RegistrySecretSet ApiSet(string id) =>
            new RegistrySecretSet(id, SecretLevel.Organization) { HasServer = true, HasUser = true, HasPassword = true };

        private static readonly Dictionary<string, Case> Cases = new Dictionary<string, Case>
        {
            ["public package"] = new Case { PackageVisibility = Visibility.Public },
            ["same repository, inherits access"] = new Case { Linked = "octo-org/web", Inherit = true },
            ["same repository, inherit unknown"] = new Case { Linked = "octo-org/web" },
            ["same repository, inherit off"] = new Case { Linked = "octo-org/web", Inherit = false },
            ["same repository, inherit off, granted"] = new Case { Linked = "octo-org/web", Inherit = false, Granted = new[] { "Octo-Org/Web" } },
            ["same repository, inherit off, internal"] = new Case { Linked = "octo-org/web", Inherit = false, PackageVisibility = Visibility.Internal },
            ["internal package in the organization"] = new Case { PackageVisibility = Visibility.Internal, Linked = "octo-org/api" },
            ["internal package, public repository"] = new Case { PackageVisibility = Visibility.Internal, RepositoryVisibility = Visibility.Public },
            ["private package, public repository"] = new Case { RepositoryVisibility = Visibility.Public, Linked = "octo-org/api" },
            ["internal package, public repository, granted"] = new Case { PackageVisibility = Visibility.Internal, RepositoryVisibility = Visibility.Public, Granted = new[] { "octo-org/web" } },
            ["private package of another repository"] = new Case { Linked = "octo-org/api" },
            ["private package, grant list without the repository"] = new Case { Linked = "octo-org/api", Granted = new[] { "octo-org/api" } },
            ["private package, explicit grant"] = new Case { Linked = "octo-org/api", Granted = new[] { "octo-org/web" } },
            ["package of another organization"] = new Case { Package = "ghcr.io/other-org/app:1", PackageOwner = "other-org", PackageVisibility = Visibility.Internal },
            ["package of another organization, granted is ignored"] = new Case { Package = "ghcr.io/other-org/app:1", PackageOwner = "other-org", Granted = new[] { "octo-org/web" } },
            ["package of another organization, set for ghcr.io"] = new Case { Package = "ghcr.io/other-org/app:1", PackageOwner = "other-org", Sets = new[] { EnvironmentSet("GHCR", "ghcr.io") } },
            ["package facts unavailable"] = new Case { PackageKnown = false },
            ["package facts unavailable, API-listed sets"] = new Case { PackageKnown = false, Sets = new[] { ApiSet("ACME") } },
            ["repository facts unavailable"] = new Case { RepositoryKnown = false, Linked = "octo-org/api" },
            ["npm package of the same repository"] = new Case { Package = "npm.pkg.github.com/@octo-org/lib", Linked = "octo-org/web", Inherit = true },
            ["maven package"] = new Case { Package = "maven.pkg.github.com/octo-org/web/com.example.app", Linked = "octo-org/web" },
            ["gradle package of another repository"] = new Case { Package = "maven.pkg.github.com/octo-org/api/com.example.lib" },
            ["publish to ghcr.io"] = new Case { Operation = PackageOperation.Publish, Linked = "octo-org/web", Inherit = true },
            ["publish to ghcr.io with a set"] = new Case { Operation = PackageOperation.Publish, Sets = new[] { EnvironmentSet("GHCR", "https://ghcr.io/") } },
            ["publish to npm"] = new Case { Operation = PackageOperation.Publish, Package = "npm.pkg.github.com/octo-org/lib" },
            ["non-GitHub registry with a matching set"] = new Case { Package = "myreg.azurecr.io/team/app:2", Sets = new[] { EnvironmentSet("HUB", "docker.io"), EnvironmentSet("ACR", "MyReg.azurecr.io") } },
            ["non-GitHub registry, only another server's set"] = new Case { Package = "myreg.azurecr.io/team/app:2", Sets = new[] { EnvironmentSet("HUB", "docker.io") } },
            ["non-GitHub registry, incomplete set"] = new Case { Package = "myreg.azurecr.io/team/app:2", Sets = new[] { EnvironmentSet("ACR", "myreg.azurecr.io", complete: false) } },
            ["non-GitHub registry, API-listed sets only"] = new Case { Package = "myreg.azurecr.io/team/app:2", Sets = new[] { ApiSet("ACR"), ApiSet("HUB") } },
            ["Docker Hub image, set for docker.io"] = new Case { Package = "octocat/tools:1", Sets = new[] { EnvironmentSet("HUB", "https://index.docker.io/v1/") } },
            ["Docker Hub official image"] = new Case { Package = "ubuntu:24.04" },
            ["Microsoft Container Registry"] = new Case { Package = "mcr.microsoft.com/devcontainers/base:ubuntu" },
            ["push to a non-GitHub registry"] = new Case { Package = "mcr.microsoft.com/devcontainers/base:ubuntu", Operation = PackageOperation.Publish },
            // An ECR set logs in with an access key (mode 1); octocat and a password would be an invalid ECR set.
            ["ECR with a set"] = new Case { Package = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1", Sets = new[] { EnvironmentSet("ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", user: "AKIAIOSFODNN7EXAMPLE", password: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") } },
            ["a set with a space pasted into its password"] = new Case { Package = "myreg.azurecr.io/team/app:2", Sets = new[] { EnvironmentSet("ACR", "myreg.azurecr.io", password: Canary + " ") } },
        };

        public static TheoryData<string, PackageAccessOutcome, string> Table => new TheoryData<string, PackageAccessOutcome, string>
        {
            { "public package", PackageAccessOutcome.Public, PackageAccessRule.PublicPackage },
            { "same repository, inherits access", PackageAccessOutcome.Seamless, PackageAccessRule.SameRepository },
            { "same repository, inherit unknown", PackageAccessOutcome.Undetermined, PackageAccessRule.InheritAccessUnknown },
            { "same repository, inherit off", PackageAccessOutcome.NeedsGrant, PackageAccessRule.InheritAccessOff },
            { "same repository, inherit off, granted", PackageAccessOutcome.Seamless, PackageAccessRule.ExplicitGrant },
            { "same repository, inherit off, internal", PackageAccessOutcome.Seamless, PackageAccessRule.InternalPackage },
            { "internal package in the organization", PackageAccessOutcome.Seamless, PackageAccessRule.InternalPackage },
            { "internal package, public repository", PackageAccessOutcome.NeedsGrant, PackageAccessRule.PublicRepositoryNeedsGrant },
            { "private package, public repository", PackageAccessOutcome.NeedsGrant, PackageAccessRule.PublicRepositoryNeedsGrant },
            { "internal package, public repository, granted", PackageAccessOutcome.Seamless, PackageAccessRule.ExplicitGrant },
            { "private package of another repository", PackageAccessOutcome.NeedsGrant, PackageAccessRule.PrivatePackageNeedsGrant },
            { "private package, grant list without the repository", PackageAccessOutcome.NeedsGrant, PackageAccessRule.PrivatePackageNeedsGrant },
            { "private package, explicit grant", PackageAccessOutcome.Seamless, PackageAccessRule.ExplicitGrant },
            { "package of another organization", PackageAccessOutcome.NeedsSecretSet, PackageAccessRule.OtherOwner },
            { "package of another organization, granted is ignored", PackageAccessOutcome.NeedsSecretSet, PackageAccessRule.OtherOwner },
            { "package of another organization, set for ghcr.io", PackageAccessOutcome.CoveredBySecretSet, PackageAccessRule.SecretSetForServer },
            { "package facts unavailable", PackageAccessOutcome.Undetermined, PackageAccessRule.PackageFactsUnavailable },
            { "package facts unavailable, API-listed sets", PackageAccessOutcome.Undetermined, PackageAccessRule.PackageFactsUnavailable },
            { "repository facts unavailable", PackageAccessOutcome.Undetermined, PackageAccessRule.PackageFactsUnavailable },
            { "npm package of the same repository", PackageAccessOutcome.Seamless, PackageAccessRule.SameRepository },
            { "maven package", PackageAccessOutcome.NeedsClassicPat, PackageAccessRule.RepositoryScopedRegistry },
            { "gradle package of another repository", PackageAccessOutcome.NeedsClassicPat, PackageAccessRule.RepositoryScopedRegistry },
            { "publish to ghcr.io", PackageAccessOutcome.NeedsClassicPat, PackageAccessRule.PublishNeedsClassicPat },
            { "publish to ghcr.io with a set", PackageAccessOutcome.CoveredBySecretSet, PackageAccessRule.SecretSetForServer },
            { "publish to npm", PackageAccessOutcome.NeedsClassicPat, PackageAccessRule.PublishNeedsClassicPat },
            { "non-GitHub registry with a matching set", PackageAccessOutcome.CoveredBySecretSet, PackageAccessRule.SecretSetForServer },
            { "non-GitHub registry, only another server's set", PackageAccessOutcome.NeedsSecretSet, PackageAccessRule.NoSecretSetForServer },
            { "non-GitHub registry, incomplete set", PackageAccessOutcome.NeedsSecretSet, PackageAccessRule.IncompleteSecretSet },
            { "non-GitHub registry, API-listed sets only", PackageAccessOutcome.Undetermined, PackageAccessRule.SecretSetValuesUnreadable },
            { "Docker Hub image, set for docker.io", PackageAccessOutcome.CoveredBySecretSet, PackageAccessRule.SecretSetForServer },
            { "Docker Hub official image", PackageAccessOutcome.Public, PackageAccessRule.PublicRegistry },
            { "Microsoft Container Registry", PackageAccessOutcome.Public, PackageAccessRule.PublicRegistry },
            { "push to a non-GitHub registry", PackageAccessOutcome.NeedsSecretSet, PackageAccessRule.NoSecretSetForServer },
            { "ECR with a set", PackageAccessOutcome.CoveredBySecretSet, PackageAccessRule.SecretSetForServer },
            { "a set with a space pasted into its password", PackageAccessOutcome.NeedsSecretSet, PackageAccessRule.IncompleteSecretSet },
        };

        [Theory, MemberData(nameof(Table))]
        public void DecisionTable(string name, PackageAccessOutcome outcome, string rule)
        {
            var decision = Cases[name].Decide();
            Assert.Equal((outcome, rule), (decision.Outcome, decision.Rule));
            Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
            Assert.False(string.IsNullOrWhiteSpace(decision.Fix));
            Assert.DoesNotContain(Canary, decision.Reason + decision.Fix + decision.ToString());
            // Undetermined is neither allowed nor refused: unknown.
            Assert.Equal(outcome == PackageAccessOutcome.Undetermined ? null : outcome == PackageAccessOutcome.Public || outcome == PackageAccessOutcome.Seamless || outcome == PackageAccessOutcome.CoveredBySecretSet,
                decision.IsAllowed);
        }

        [Fact]
        public void EveryRuleHasARow()
        {
            var rules = typeof(PackageAccessRule).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
            var covered = Table.Select(row => (string)row[2]).ToHashSet();
            Assert.Empty(rules.Except(covered));
            Assert.Equal(Cases.Keys.OrderBy(k => k), Table.Select(row => (string)row[0]).OrderBy(k => k));
        }

        [Fact]
        public void SettingsUrlsNameTheOwnersKindAndEscapeSlashes()
        {
            var decision = new Case { Package = "ghcr.io/octo-org/tools/lint:1", Linked = "octo-org/api" }.Decide();
            Assert.Equal("https://github.com/orgs/octo-org/packages/container/tools%2Flint/settings", decision.SettingsUrl);

            var request = new PackageAccessRequest(PackageReference.Parse("ghcr.io/octocat/app"), "octocat/dotfiles");
            var user = PackageAccessRules.Decide(request, new PackageFacts("octocat", false, Visibility.Private, null),
                new RepositoryFacts("octocat/dotfiles", "octocat", false, Visibility.Private), null);
            Assert.Equal("https://github.com/users/octocat/packages/container/app/settings", user.SettingsUrl);
            Assert.Equal(PackageAccessRule.PrivatePackageNeedsGrant, user.Rule);

            Assert.Equal("https://github.com/octo-org/web/settings/secrets/codespaces", Cases["non-GitHub registry, only another server's set"].Decide().SettingsUrl);
            Assert.Equal("https://github.com/settings/tokens/new?scopes=write:packages", Cases["publish to ghcr.io"].Decide().SettingsUrl);
        }

        [Fact]
        public void FactsAreReportedAndUnknownsStayUnknown()
        {
            var decision = Cases["private package, public repository"].Decide();
            Assert.Equal(Visibility.Private, decision.Facts.PackageVisibility);
            Assert.Equal("octo-org/api", decision.Facts.LinkedRepository);
            Assert.Equal(Visibility.Public, decision.Facts.RepositoryVisibility);
            Assert.Equal("octo-org", decision.Facts.PackageOwner);
            Assert.Null(decision.Facts.InheritAccess);
            Assert.Null(decision.Facts.Granted);
            Assert.Contains("-GrantedRepository octo-org/web", decision.Fix);

            var unknown = Cases["package facts unavailable"].Decide();
            Assert.Null(unknown.Facts.PackageVisibility);
            Assert.Contains("No token", unknown.Facts.Unavailable);
            Assert.Contains("-Token", unknown.Fix);
        }

        [Fact]
        public void SetsThatCoverOrMightCoverAreNamed()
        {
            Assert.Equal(new[] { "ACR" }, Cases["non-GitHub registry with a matching set"].Decide().SecretSets);
            var might = Cases["non-GitHub registry, API-listed sets only"].Decide();
            Assert.Equal(new[] { "ACR", "HUB" }, might.SecretSets);
            Assert.Contains("might", might.Reason);
            Assert.Contains("ACR, HUB", might.Reason);
            Assert.Contains("ACME", Cases["package facts unavailable, API-listed sets"].Decide().Reason);
            Assert.Contains("https://index.docker.io/v1/", new Case { Package = "octocat/tools:1" }.Decide().Fix);

            var elsewhere = ApiSet("OTHER");
            elsewhere.AppliesToRepository = false;
            var shadowed = ApiSet("SHADOWED");
            shadowed.IsEffective = false;
            var partial = new RegistrySecretSet("PARTIAL", SecretLevel.User) { HasServer = true };
            var none = new Case { Package = "quay.io/octo/app", Sets = new[] { elsewhere, shadowed, partial } }.Decide();
            Assert.Equal(PackageAccessRule.NoSecretSetForServer, none.Rule);
            Assert.Empty(none.SecretSets);
        }

        [Theory]
        [InlineData("ghcr.io/octo-org/app:1", "container", "octo-org", "app", null)]
        [InlineData("ghcr.io/octo-org/tools/lint@sha256:5f3e2005aad161ce3ff7700b2603f11935348c039f9166960efd050d69cd3014", "container", "octo-org", "tools/lint", null)]
        [InlineData("npm.pkg.github.com/@octo-org/lib@1.2.0", "npm", "octo-org", "lib", null)]
        [InlineData("nuget.pkg.github.com/octo-org/Octo.Lib", "nuget", "octo-org", "Octo.Lib", null)]
        [InlineData("rubygems.pkg.github.com/octo-org/octo_gem", "rubygems", "octo-org", "octo_gem", null)]
        [InlineData("maven.pkg.github.com/octo-org/web/com/example/app", "maven", "octo-org", "com.example.app", "octo-org/web")]
        [InlineData("docker.pkg.github.com/octo-org/web/image:1", "docker", "octo-org", "image", "octo-org/web")]
        public void GitHubPackageReferences(string input, string type, string owner, string name, string? repository)
        {
            var reference = PackageReference.Parse(input);
            Assert.Equal((type, owner, name, repository), (reference.PackageType, reference.Owner, reference.Name, reference.Repository));
            Assert.True(reference.IsGitHubPackages);
        }

        [Theory]
        [InlineData("ghcr.io/app", "InvalidPackageReference")]
        [InlineData("maven.pkg.github.com/octo-org/web", "InvalidPackageReference")]
        [InlineData("not a reference", "InvalidImageReference")]
        public void InvalidPackageReferences(string input, string errorId) =>
            Assert.Equal(errorId, Assert.Throws<RegistryException>(() => PackageReference.Parse(input)).ErrorId);

        [Theory]
        [InlineData("web")]
        [InlineData("octo-org/")]
        [InlineData("https://github.com/octo-org/web")]
        public void RepositoryMustBeOwnerSlashName(string repository) =>
            Assert.Equal("GitHubInvalidRepositoryName", Assert.Throws<RegistryException>(() => new PackageAccessRequest(PackageReference.Parse("ubuntu"), repository)).ErrorId);
    }
}
