using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using Xunit;

namespace CodespaceRegistry.Tests.Secrets
{
    public class SecretSetReaderTests
    {
        private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
        private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

        private static IReadOnlyList<RegistrySecretSet> Read(params (string Name, string Value)[] variables) =>
            SecretSetReader.FromEnvironment(variables.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value)), Now);

        private static (string, string)[] Set(string id, string server, string user, string password) => new[]
        {
            (id + "_CONTAINER_REGISTRY_SERVER", server),
            (id + "_CONTAINER_REGISTRY_USER", user),
            (id + "_CONTAINER_REGISTRY_PASSWORD", password),
        };

        private static IEnumerable<string> Ids(RegistrySecretSet set) => set.Findings.Select(f => f.Id);

        internal static string EcrToken(DateTimeOffset expires) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(
                $"{{\"payload\":\"opaque\",\"datakey\":\"opaque\",\"version\":\"2\",\"type\":\"DATA_KEY\",\"expiration\":{expires.ToUnixTimeSeconds()}}}"));

        [Fact]
        public void GroupsTheThreeSecretsOfASet()
        {
            var sets = Read(Set("ACME", "ghcr.io", "octocat", "token").Append(("PATH", "/usr/bin")).ToArray());
            var set = Assert.Single(sets);
            Assert.Equal("ACME", set.Name);
            Assert.Equal(SecretLevel.Environment, set.Level);
            Assert.True(set.IsComplete);
            Assert.True(set.IsValid);
            Assert.Equal(RegistryKind.GitHubContainerRegistry, set.Server!.Kind);
            Assert.Equal("octocat", set.User);
            Assert.Equal("token", SecureStrings.Reveal(set.Password!));
            Assert.Equal(EcrMode.None, set.EcrMode);
            Assert.Empty(set.Findings);
            Assert.Equal(3, set.SecretNames.Count);
        }

        [Fact]
        public void SortsSetsAndGroupsCaseInsensitively()
        {
            var sets = Read(("zeta_CONTAINER_REGISTRY_SERVER", "quay.io"), ("ZETA_CONTAINER_REGISTRY_USER", "u"), ("Zeta_container_registry_password", "p"),
                            ("ALPHA_CONTAINER_REGISTRY_SERVER", "ghcr.io"));
            Assert.Equal(new[] { "ALPHA", "ZETA" }, sets.Select(s => s.Name.ToUpperInvariant()));
            Assert.True(sets[1].IsComplete);
        }

        [Fact]
        public void ReportsEachMissingSecret()
        {
            var set = Assert.Single(Read(("ACME_CONTAINER_REGISTRY_SERVER", "ghcr.io")));
            Assert.False(set.IsComplete);
            Assert.False(set.IsValid);
            var missing = set.Findings.Where(f => f.Id == "IncompleteSet").Select(f => f.SecretName).ToList();
            Assert.Equal(new[] { "ACME_CONTAINER_REGISTRY_USER", "ACME_CONTAINER_REGISTRY_PASSWORD" }, missing);
            Assert.All(set.Findings, f => Assert.Contains("stop and start", f.Fix));
        }

        [Theory]
        [InlineData("1ACME", "digit")]
        [InlineData("GITHUB_ACME", "GITHUB_")]
        [InlineData("AC-ME", "letters, digits and underscores")]
        public void ReportsIdentifiersGitHubRefuses(string id, string why)
        {
            var set = Assert.Single(Read(Set(id, "ghcr.io", "u", "p")));
            var finding = Assert.Single(set.Findings, f => f.Id == "InvalidSecretName");
            Assert.Contains(why, finding.Message);
        }

        [Theory]
        [InlineData("ACME_CONTAINER_REGISTRY_USERNAME", "ACME_CONTAINER_REGISTRY_USER")]
        [InlineData("ACME_CONTAINER_REGISTRY_PASS", "ACME_CONTAINER_REGISTRY_PASSWORD")]
        [InlineData("ACME_CONTAINER_REGISTRY_TOKEN", "ACME_CONTAINER_REGISTRY_PASSWORD")]
        [InlineData("ACME_CONTAINER_REGISTRY_URL", "ACME_CONTAINER_REGISTRY_SERVER")]
        [InlineData("ACME_REGISTRY_SERVER", "ACME_CONTAINER_REGISTRY_SERVER")]
        public void SuggestsTheRightNameForAMisnamedSecret(string name, string suggestion)
        {
            var set = Read(Set("ACME", "ghcr.io", "u", "p").Where(v => !v.Item1.EndsWith(suggestion.Substring(5))).Append((name, "x")).ToArray()).Single();
            var finding = Assert.Single(set.Findings, f => f.Id == "MisnamedSecret");
            Assert.Contains(suggestion, finding.Fix);
            Assert.Contains(set.Findings, f => f.Id == "IncompleteSet" && f.SecretName == suggestion);
        }

        [Fact]
        public void UnrelatedVariablesAreNotSets() =>
            Assert.Empty(Read(("NPM_REGISTRY_URL", "https://registry.npmjs.org"), ("DOCKER_REGISTRY_MIRROR", "x"), ("HOME", "/root")));

        [Theory]
        [InlineData("token\n", "line break", FindingSeverity.Error)]
        [InlineData(" token", "white space", FindingSeverity.Error)]
        [InlineData("token\r\n", "line break", FindingSeverity.Error)]
        public void ReportsWhitespacePastedIntoAPassword(string password, string what, FindingSeverity severity)
        {
            var set = Assert.Single(Read(Set("ACME", "ghcr.io", "octocat", password)));
            var finding = Assert.Single(set.Findings, f => f.Id == "WhitespaceInValue");
            Assert.Contains(what, finding.Message);
            Assert.Equal(severity, finding.Severity);
            Assert.Equal("ACME_CONTAINER_REGISTRY_PASSWORD", finding.SecretName);
        }

        [Fact]
        public void WhitespaceAroundTheServerIsAWarningAndTheServerStillParses()
        {
            var set = Assert.Single(Read(Set("ACME", " ghcr.io\n", "octocat", "p")));
            Assert.Equal(FindingSeverity.Warning, Assert.Single(set.Findings, f => f.Id == "WhitespaceInValue").Severity);
            Assert.Equal("ghcr.io", set.Server!.Host);
        }

        [Fact]
        public void ReportsEmptyQuotedAndOversizedValues()
        {
            var set = Assert.Single(Read(Set("ACME", "'ghcr.io'", "", new string('x', 49 * 1024))));
            Assert.Contains("EmptyValue", Ids(set));
            Assert.Contains("QuotedValue", Ids(set));
            Assert.Contains("ValueTooLarge", Ids(set));
            Assert.False(set.HasUser);
        }

        [Theory]
        [InlineData("docker.io")]
        [InlineData("index.docker.io")]
        [InlineData("hub.docker.com")]
        [InlineData("https://index.docker.io/v1")]
        public void ReportsDockerHubWrittenAnotherWay(string server)
        {
            var set = Assert.Single(Read(Set("HUB", server, "octocat", "p")));
            var finding = Assert.Single(set.Findings, f => f.Id == "DockerHubAlias");
            Assert.Contains(RegistryServer.DockerHubConfigKey, finding.Fix);
        }

        [Fact]
        public void TheDocumentedDockerHubServerIsClean() =>
            Assert.Empty(Assert.Single(Read(Set("HUB", "https://index.docker.io/v1/", "octocat", "p"))).Findings);

        [Theory]
        [InlineData("https://ghcr.io", "ServerHasScheme")]
        [InlineData("ghcr.io/octo-org/app:1", "ServerHasPath")]
        [InlineData("http://registry.example.com", "ServerUsesHttp")]
        [InlineData("ftp://registry.example.com", "InvalidServer")]
        public void ReportsServersWrittenAsUrls(string server, string id) =>
            Assert.Contains(id, Ids(Assert.Single(Read(Set("ACME", server, "u", "p")))));

        [Fact]
        public void PlainHttpToLoopbackIsFine() =>
            Assert.DoesNotContain("ServerUsesHttp", Ids(Assert.Single(Read(Set("ACME", "http://localhost:5000", "u", "p")))));

        [Fact]
        public void DetectsEcrAccessKeyMode()
        {
            var set = Assert.Single(Read(Set("ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", AccessKey, SecretKey)));
            Assert.Equal(EcrMode.AccessKey, set.EcrMode);
            Assert.Null(set.TokenExpiresAt);
            Assert.Empty(set.Findings);
        }

        [Fact]
        public void DetectsEcrTokenModeAndReadsTheExpiryOffline()
        {
            var expires = Now.AddHours(11);
            var set = Assert.Single(Read(Set("ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS", EcrToken(expires))));
            Assert.Equal(EcrMode.Token, set.EcrMode);
            Assert.Equal(expires, set.TokenExpiresAt);
            Assert.Empty(set.Findings);
        }

        [Theory]
        [InlineData(-1, "EcrTokenExpired", FindingSeverity.Error)]
        [InlineData(0.5, "EcrTokenExpiresSoon", FindingSeverity.Warning)]
        public void ReportsExpiredAndExpiringEcrTokens(double hours, string id, FindingSeverity severity)
        {
            var set = Assert.Single(Read(Set("ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS", EcrToken(Now.AddHours(hours)))));
            Assert.Equal(severity, Assert.Single(set.Findings, f => f.Id == id).Severity);
        }

        [Fact]
        public void ReadsEcrsFractionalExpiry()
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"expiration\":1.795354972489E9}"));
            Assert.True(EcrAuthorizationToken.TryReadExpiry(token, out var expires));
            Assert.Equal(1795354972489, expires.ToUnixTimeMilliseconds());
            Assert.False(EcrAuthorizationToken.TryReadExpiry("not base64!", out _));
            Assert.False(EcrAuthorizationToken.TryReadExpiry(Convert.ToBase64String(Encoding.UTF8.GetBytes("[1]")), out _));
        }

        [Fact]
        public void AnUnreadableTokenIsReported() =>
            Assert.Contains("EcrTokenUnreadable", Ids(Assert.Single(Read(Set("ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS", "eyJub3QiOiJhIHRva2VuIn0=")))));

        [Fact]
        public void TemporaryKeysCannotWork()
        {
            var set = Assert.Single(Read(Set("ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "ASIAIOSFODNN7EXAMPLE", SecretKey)));
            Assert.Equal(EcrMode.AccessKey, set.EcrMode);
            Assert.Contains("TemporaryAccessKey", Ids(set));
        }

        [Theory]
        [InlineData("octocat", "EcrUserInvalid")]
        [InlineData(AccessKey, "EcrSecretKeyMalformed", "short")]
        public void ReportsEcrCredentialsOfTheWrongShape(string user, string id, string password = SecretKey) =>
            Assert.Contains(id, Ids(Assert.Single(Read(Set("ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", user, password)))));

        [Fact]
        public void EcrPublicNeedsTheBearerTokenPermissionToo() =>
            Assert.Contains("EcrPublicPermissions", Ids(Assert.Single(Read(Set("ECR", "public.ecr.aws", AccessKey, SecretKey)))));

        [Fact]
        public void AwsCredentialsForAnotherRegistryAreReported()
        {
            var set = Assert.Single(Read(Set("ECR", "ghcr.io", AccessKey, SecretKey)));
            Assert.Contains("AwsCredentialsForNonEcrServer", Ids(set));
            Assert.Contains("EcrIdentifierNotEcrServer", Ids(set));
            Assert.Equal(EcrMode.None, set.EcrMode);
        }

        [Fact]
        public void ANonEcrIdentifierForTheOnlyEcrSetIsInformational()
        {
            var set = Assert.Single(Read(Set("AWSREG", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", AccessKey, SecretKey)));
            var finding = Assert.Single(set.Findings);
            Assert.Equal("NonEcrIdentifier", finding.Id);
            Assert.Equal(FindingSeverity.Information, finding.Severity);
            Assert.True(set.IsValid);
        }

        [Fact]
        public void SeveralEcrSetsNeedSeveralIdentifiers()
        {
            var sets = Read(Set("PROD", "111111111111.dkr.ecr.eu-west-1.amazonaws.com", AccessKey, SecretKey)
                .Concat(Set("DEV", "222222222222.dkr.ecr.eu-west-1.amazonaws.com", AccessKey, SecretKey)).ToArray());
            Assert.All(sets, s => Assert.Empty(s.Findings));
        }

        [Fact]
        public void TwoSetsForOneServerAreReportedOnBoth()
        {
            var sets = Read(Set("A", "docker.io", "u", "p").Concat(Set("B", "https://index.docker.io/v1/", "u", "p")).ToArray());
            Assert.All(sets, s => Assert.Contains("DuplicateServer", Ids(s)));
        }

        [Fact]
        public void FineGrainedTokensDoNotWorkWithGitHubPackages() =>
            Assert.Contains("FineGrainedTokenForGitHubPackages", Ids(Assert.Single(Read(Set("GH", "ghcr.io", "octocat", "github_pat_fake-fine-grained-token")))));

        [Fact]
        public void DockerHubLogsInWithTheDockerId() =>
            Assert.Contains("DockerHubEmailUser", Ids(Assert.Single(Read(Set("HUB", "https://index.docker.io/v1/", "me@example.com", "p")))));

        [Theory]
        [InlineData("ghp_fake-token-in-the-wrong-secret", "octocat", "ACME_CONTAINER_REGISTRY_SERVER")]
        [InlineData("ghcr.io", "ghp_fake-token-in-the-wrong-secret", "ACME_CONTAINER_REGISTRY_USER")]
        [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ACME_CONTAINER_REGISTRY_USER")]
        public void ReportsValuesCopiedIntoTheWrongSecretWithoutShowingThem(string server, string user, string where)
        {
            var set = Assert.Single(Read(Set("ACME", server, user, "p")));
            Assert.Equal(where, Assert.Single(set.Findings, f => f.Id == "SecretInWrongSecret").SecretName);
            Assert.True(set.HasServer && set.HasUser);
            Assert.DoesNotContain("ghp_", (set.ServerValue ?? "") + set.User + set.Server);
        }

        [Fact]
        public void FindingsHaveStableIdsAndAFix()
        {
            var sets = Read(Set("1BAD", "ftp://x", "", " p\n").Concat(Set("ECR", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS", EcrToken(Now.AddDays(-1)))).ToArray());
            foreach (var finding in sets.SelectMany(s => s.Findings))
            {
                Assert.Matches("^[A-Z][A-Za-z]+$", finding.Id);
                Assert.False(string.IsNullOrWhiteSpace(finding.Message));
                Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
            }
        }

        [Fact]
        public void APasswordLongerThanASecureStringIsAFindingNotACrash()
        {
            var set = Assert.Single(Read(Set("ACME", "ghcr.io", "octocat", new string('p', 70_000))));
            Assert.Contains("ValueTooLarge", Ids(set));
            Assert.True(set.HasPassword);
            Assert.Null(set.Password);
        }
    }
}
