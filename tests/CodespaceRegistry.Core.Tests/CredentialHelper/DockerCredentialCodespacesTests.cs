using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.CredentialHelper
{
    /// <summary>The NativeAOT docker-credential-codespaces, run as docker runs it, against the SigV4-verifying fake ECR.</summary>
    public sealed class DockerCredentialCodespacesTests : IAsyncLifetime
    {
        private const string KeyId = "AKIAIOSFODNN7EXAMPLE";
        private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYCANARY0002";
        private const string EcrHost = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

        private readonly string _home = Path.Combine(Path.GetTempPath(), "helper-home-" + Guid.NewGuid().ToString("N"));
        private FakeAws _aws = null!;

        public async Task InitializeAsync()
        {
            _aws = await FakeAws.StartAsync("eu-west-1");
            _aws.AddUser(KeyId, Secret, "123456789012", "ci-puller", "ecr:GetAuthorizationToken");
            Directory.CreateDirectory(_home);
        }

        public async Task DisposeAsync()
        {
            await _aws.DisposeAsync();
            Directory.Delete(_home, recursive: true);
        }

        private Dictionary<string, string> Environment(string secret = Secret) => new Dictionary<string, string>
        {
            ["HOME"] = _home,
            ["XDG_CACHE_HOME"] = Path.Combine(_home, ".cache"),
            ["AWS_ENDPOINT_URL_ECR"] = _aws.Url.ToString(),
            ["ECR_CONTAINER_REGISTRY_SERVER"] = EcrHost,
            ["ECR_CONTAINER_REGISTRY_USER"] = KeyId,
            ["ECR_CONTAINER_REGISTRY_PASSWORD"] = secret,
            ["GHCR_CONTAINER_REGISTRY_SERVER"] = "ghcr.io",
            ["GHCR_CONTAINER_REGISTRY_USER"] = "octocat",
            ["GHCR_CONTAINER_REGISTRY_PASSWORD"] = "ghp_CANARY0003",
        };

        [Fact]
        public void GetSwapsTheAccessKeyOnceAndServesTheCachedTokenAfterwards()
        {
            var (exit, output) = CredentialHelperBinary.Run("get", EcrHost + "\n", Environment());
            Assert.True(exit == 0, output);
            using (var json = JsonDocument.Parse(output))
            {
                Assert.Equal(EcrHost, json.RootElement.GetProperty("ServerURL").GetString());
                Assert.Equal("AWS", json.RootElement.GetProperty("Username").GetString());
                Assert.Equal(_aws.IssuedPasswords.Single(), json.RootElement.GetProperty("Secret").GetString());
            }

            var again = CredentialHelperBinary.Run("get", "https://" + EcrHost, Environment());
            Assert.Equal(0, again.ExitCode);
            using (var json = JsonDocument.Parse(again.Output))
            {
                Assert.Equal(_aws.IssuedPasswords.Single(), json.RootElement.GetProperty("Secret").GetString());
            }
            Assert.Equal(1, _aws.TokenRequests);
        }

        [Fact]
        public void GetServesOtherSetsAsTheyAre()
        {
            var (exit, output) = CredentialHelperBinary.Run("get", "ghcr.io", Environment());
            Assert.Equal(0, exit);
            using var json = JsonDocument.Parse(output);
            Assert.Equal("octocat", json.RootElement.GetProperty("Username").GetString());
            Assert.Equal("ghp_CANARY0003", json.RootElement.GetProperty("Secret").GetString());
        }

        /// <summary>100 sets that name other servers, as an organization with many registries has; one holds a canary, one is broken.</summary>
        private Dictionary<string, string> WithOtherSets(Dictionary<string, string> environment)
        {
            for (var i = 0; i < 100; i++)
            {
                environment[$"REG{i:D3}_CONTAINER_REGISTRY_SERVER"] = $"registry{i}.example.com";
                environment[$"REG{i:D3}_CONTAINER_REGISTRY_USER"] = "user" + i;
                environment[$"REG{i:D3}_CONTAINER_REGISTRY_PASSWORD"] = i == 42 ? "ghp_CANARY0042" : "password-" + i;
            }
            environment["REG007_CONTAINER_REGISTRY_SERVER"] = "not a server";
            environment["REG008_CONTAINER_REGISTRY_USER"] = "ghp_CANARY0008"; // a token pasted into USER
            return environment;
        }

        [Theory]
        [InlineData("ghcr.io")]
        [InlineData("https://ghcr.io")]
        [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com")]
        [InlineData("quay.io")]
        [InlineData("registry5.example.com:443")]
        [InlineData("not a server")]
        public void OtherSetsInTheEnvironmentDoNotChangeTheAnswer(string server)
        {
            var alone = CredentialHelperBinary.Run("get", server, Environment());
            var among = CredentialHelperBinary.Run("get", server, WithOtherSets(Environment()));
            Assert.Equal(alone, among);
            Assert.DoesNotContain("CANARY0042", among.Output);
            Assert.DoesNotContain("CANARY0008", among.Output);
        }

        [Fact]
        public void AnotherSetAmongTheHundredIsServedAsItIs()
        {
            var (exit, output) = CredentialHelperBinary.Run("get", "registry42.example.com", WithOtherSets(Environment()));
            Assert.Equal(0, exit);
            using var json = JsonDocument.Parse(output);
            Assert.Equal("user42", json.RootElement.GetProperty("Username").GetString());
            Assert.Equal("ghp_CANARY0042", json.RootElement.GetProperty("Secret").GetString());
        }

        [Fact]
        public void TwoSetsForOneServerGiveTheLastCompleteOneInNameOrderAsLoginsDo()
        {
            var environment = Environment();
            environment["ZZZ_CONTAINER_REGISTRY_SERVER"] = "https://ghcr.io/"; // the same registry, written otherwise
            environment["ZZZ_CONTAINER_REGISTRY_USER"] = "hubot";
            environment["ZZZ_CONTAINER_REGISTRY_PASSWORD"] = "ghp_CANARY0004";
            environment["ZZZZ_CONTAINER_REGISTRY_SERVER"] = "ghcr.io"; // incomplete: never used
            environment["ZZZZ_CONTAINER_REGISTRY_USER"] = "nobody";

            var (exit, output) = CredentialHelperBinary.Run("get", "ghcr.io", environment);
            Assert.Equal(0, exit);
            using var json = JsonDocument.Parse(output);
            Assert.Equal("hubot", json.RootElement.GetProperty("Username").GetString());
            Assert.Equal("ghp_CANARY0004", json.RootElement.GetProperty("Secret").GetString());
        }

        [Theory]
        [InlineData("docker.io")]
        [InlineData("index.docker.io")]
        [InlineData("registry-1.docker.io")]
        [InlineData("https://index.docker.io/v1/")]
        public void DockerHubsAliasesAreOneRegistry(string asked)
        {
            var environment = WithOtherSets(Environment());
            environment["HUB_CONTAINER_REGISTRY_SERVER"] = "docker.io";
            environment["HUB_CONTAINER_REGISTRY_USER"] = "mona";
            environment["HUB_CONTAINER_REGISTRY_PASSWORD"] = "dckr_pat_CANARY0005";

            var (exit, output) = CredentialHelperBinary.Run("get", asked, environment);
            Assert.True(exit == 0, output);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(asked, json.RootElement.GetProperty("ServerURL").GetString());
            Assert.Equal("mona", json.RootElement.GetProperty("Username").GetString());
        }

        [Fact]
        public void ATokenPastedIntoUserIsReportedByNameNotServedOrShown()
        {
            var (exit, output) = CredentialHelperBinary.Run("get", "registry8.example.com", WithOtherSets(Environment()));
            Assert.Equal(1, exit);
            Assert.Contains("REG008_CONTAINER_REGISTRY_USER", output);
            Assert.DoesNotContain("CANARY", output);
        }

        [Fact]
        public void AServerNoSetNamesIsNotFoundTheWayHelpersSayIt()
        {
            var (exit, output) = CredentialHelperBinary.Run("get", "quay.io", Environment());
            Assert.NotEqual(0, exit);
            Assert.Equal("credentials not found in native keychain", output.Trim());
        }

        [Fact]
        public void AWrongSecretFailsWithTheFixAndWithoutTheSecret()
        {
            var (exit, output) = CredentialHelperBinary.Run("get", EcrHost, Environment(Secret.Replace("CANARY", "WRONGS")));
            Assert.NotEqual(0, exit);
            Assert.Contains("secret key", output);
            Assert.DoesNotContain("WRONGS", output);
            Assert.DoesNotContain("CANARY", output);
        }

        [Fact]
        public void ListNamesEveryServerWithItsLoginUser()
        {
            var (exit, output) = CredentialHelperBinary.Run("list", "", Environment());
            Assert.Equal(0, exit);
            using var json = JsonDocument.Parse(output);
            Assert.Equal("AWS", json.RootElement.GetProperty(EcrHost).GetString());
            Assert.Equal("octocat", json.RootElement.GetProperty("ghcr.io").GetString());
            Assert.DoesNotContain("CANARY", output);
        }

        [Fact]
        public void AnExpiryOutOfRangeFromEcrIsAHandledError()
        {
            _aws.ExpiresAtJson = "1e300";
            var (exit, output) = CredentialHelperBinary.Run("get", EcrHost, Environment());
            Assert.Equal(1, exit);
            Assert.DoesNotContain("Unhandled", output);
            Assert.DoesNotContain("CANARY", output);
        }

        [Fact]
        public void AnExpiryOutOfRangeInTheCacheIsNotACrash()
        {
            Assert.Equal(0, CredentialHelperBinary.Run("get", EcrHost, Environment()).ExitCode);
            var cached = Assert.Single(Directory.GetFiles(_home, "*.json", SearchOption.AllDirectories));
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(cached))!;
            json["expiresAt"] = System.Text.Json.Nodes.JsonValue.Create(1e300);
            File.WriteAllText(cached, json.ToJsonString());

            var (exit, output) = CredentialHelperBinary.Run("get", EcrHost, Environment());
            Assert.True(exit == 0, output); // the cache entry is ignored and a new token fetched
        }

        [Theory]
        [InlineData("bogus")]
        [InlineData("--help")]
        public void AnUnknownActionIsReportedOnStdoutWithExitCode1AsDockerCredentialHelpersDo(string action)
        {
            var (exit, output, error) = ExternalProgram.Run(CredentialHelperBinary.Path, new[] { action }, Environment(), "");
            Assert.Equal(1, exit);
            Assert.Equal($"Unknown credential action `{action}`", output.Trim());
            Assert.Equal("", error);
        }

        [Fact]
        public void NoActionPrintsTheUsageOnStdoutWithExitCode1()
        {
            var (exit, output, error) = ExternalProgram.Run(CredentialHelperBinary.Path, Array.Empty<string>(), Environment(), "");
            Assert.Equal(1, exit);
            Assert.StartsWith("Usage: docker-credential-codespaces", output.Trim());
            Assert.Equal("", error);
        }

        [Fact]
        public void AnInputLargerThanAnyServerUrlIsRefused()
        {
            var (exit, output) = CredentialHelperBinary.Run("get", new string('a', 1_000_000), Environment());
            Assert.Equal(1, exit);
            Assert.Contains("longer than", output);
            Assert.True(output.Length < 500, output.Length.ToString());
        }

        [Fact]
        public void StoreIsRefusedBecauseTheSecretsAreTheSource()
        {
            var (exit, output) = CredentialHelperBinary.Run("store", "{\"ServerURL\":\"ghcr.io\",\"Username\":\"u\",\"Secret\":\"s\"}", Environment());
            Assert.NotEqual(0, exit);
            Assert.Contains("CONTAINER_REGISTRY", output);
        }
    }
}
