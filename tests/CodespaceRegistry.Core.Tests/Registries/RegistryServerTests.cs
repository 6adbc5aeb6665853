using CodespaceRegistry.Registries;
using Xunit;

namespace CodespaceRegistry.Tests.Registries
{
    public class RegistryServerTests
    {
        [Theory]
        [InlineData("ghcr.io", "ghcr.io", RegistryKind.GitHubContainerRegistry, "ghcr.io")]
        [InlineData("  GHCR.IO/  ", "ghcr.io", RegistryKind.GitHubContainerRegistry, "ghcr.io")]
        [InlineData("https://ghcr.io", "ghcr.io", RegistryKind.GitHubContainerRegistry, "ghcr.io")]
        [InlineData("npm.pkg.github.com", "npm.pkg.github.com", RegistryKind.GitHubPackages, "npm.pkg.github.com")]
        [InlineData("https://index.docker.io/v1/", "docker.io", RegistryKind.DockerHub, "https://index.docker.io/v1/")]
        [InlineData("docker.io", "docker.io", RegistryKind.DockerHub, "https://index.docker.io/v1/")]
        [InlineData("index.docker.io", "docker.io", RegistryKind.DockerHub, "https://index.docker.io/v1/")]
        [InlineData("registry-1.docker.io", "docker.io", RegistryKind.DockerHub, "https://index.docker.io/v1/")]
        [InlineData("registry.hub.docker.com", "docker.io", RegistryKind.DockerHub, "https://index.docker.io/v1/")]
        [InlineData("https://index.docker.io/v1", "docker.io", RegistryKind.DockerHub, "https://index.docker.io/v1/")]
        [InlineData("myreg.azurecr.io", "myreg.azurecr.io", RegistryKind.AzureContainerRegistry, "myreg.azurecr.io")]
        [InlineData("public.ecr.aws", "public.ecr.aws", RegistryKind.AmazonEcrPublic, "public.ecr.aws")]
        [InlineData("gcr.io", "gcr.io", RegistryKind.GoogleContainerRegistry, "gcr.io")]
        [InlineData("asia.gcr.io", "asia.gcr.io", RegistryKind.GoogleContainerRegistry, "asia.gcr.io")]
        [InlineData("us-central1-docker.pkg.dev", "us-central1-docker.pkg.dev", RegistryKind.GoogleArtifactRegistry, "us-central1-docker.pkg.dev")]
        [InlineData("quay.io", "quay.io", RegistryKind.Other, "quay.io")]
        [InlineData("localhost:5000", "localhost:5000", RegistryKind.Other, "localhost:5000")]
        [InlineData("http://127.0.0.1:5000/", "127.0.0.1:5000", RegistryKind.Other, "127.0.0.1:5000")]
        [InlineData("[::1]:5000", "[::1]:5000", RegistryKind.Other, "[::1]:5000")]
        [InlineData("https://[0:0:0:0:0:0:0:1]:443", "[::1]:443", RegistryKind.Other, "[::1]:443")]
        [InlineData("\"ghcr.io\"", "ghcr.io", RegistryKind.GitHubContainerRegistry, "ghcr.io")]
        [InlineData("ghcr.io.", "ghcr.io", RegistryKind.GitHubContainerRegistry, "ghcr.io")]
        public void NormalisesAndClassifies(string input, string host, RegistryKind kind, string configKey)
        {
            var server = RegistryServer.Parse(input);
            Assert.Equal(host, server.Host);
            Assert.Equal(kind, server.Kind);
            Assert.Equal(configKey, server.ConfigKey);
        }

        [Theory]
        [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com", "123456789012", "us-east-1", "aws", false, false)]
        [InlineData("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com", "123456789012", "us-east-1", "aws", true, false)]
        [InlineData("123456789012.dkr-ecr-fips.us-gov-west-1.amazonaws.com", "123456789012", "us-gov-west-1", "aws-us-gov", true, false)]
        [InlineData("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "123456789012", "cn-north-1", "aws-cn", false, false)]
        [InlineData("123456789012.dkr-ecr.eu-west-1.on.aws", "123456789012", "eu-west-1", "aws", false, true)]
        [InlineData("123456789012.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn", "123456789012", "cn-northwest-1", "aws-cn", false, true)]
        [InlineData("123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "123456789012", "us-iso-east-1", "aws-iso", false, false)]
        [InlineData("123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", "123456789012", "us-isob-east-1", "aws-iso-b", false, false)]
        [InlineData("HTTPS://123456789012.DKR.ECR.EU-CENTRAL-1.AMAZONAWS.COM/", "123456789012", "eu-central-1", "aws", false, false)]
        public void ExtractsEcrAccountAndRegion(string input, string account, string region, string partition, bool fips, bool dualStack)
        {
            var server = RegistryServer.Parse(input);
            Assert.Equal(RegistryKind.AmazonEcr, server.Kind);
            Assert.Equal(account, server.AccountId);
            Assert.Equal(region, server.Region);
            Assert.Equal(partition, server.Partition);
            Assert.Equal(fips, server.IsFips);
            Assert.Equal(dualStack, server.IsDualStack);
        }

        [Theory]
        [InlineData("12345678901.dkr.ecr.us-east-1.amazonaws.com")] // 11 digits
        [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.org")]
        [InlineData("123456789012.ecr.us-east-1.amazonaws.com")]
        public void LookalikesAreNotEcr(string input) => Assert.NotEqual(RegistryKind.AmazonEcr, RegistryServer.Parse(input).Kind);

        [Theory]
        [InlineData("", "empty")]
        [InlineData("   ", "empty")]
        [InlineData("ftp://ghcr.io", "scheme")]
        [InlineData("user:pass@ghcr.io", "user information")]
        [InlineData("ghcr.io:99999", "port")]
        [InlineData("ghcr.io:abc", "port")]
        [InlineData("::1:5000", "brackets")]
        [InlineData("[::1", "closing")]
        [InlineData("my registry.io", "space")]
        [InlineData("bad_-.host", "host name holds")]
        [InlineData("registry", "domain name")]
        public void RejectsWhatIsNotAServerWithAReason(string input, string reason)
        {
            var e = Assert.Throws<RegistryException>(() => RegistryServer.Parse(input));
            Assert.Equal("InvalidRegistryServer", e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.Contains(reason, e.Message);
            Assert.False(RegistryServer.TryParse(input, out _, out var error));
            Assert.NotNull(error);
        }

        [Fact]
        public void KeepsSchemeAndPathForFindings()
        {
            var server = RegistryServer.Parse("https://ghcr.io/octo-org");
            Assert.Equal("https", server.Scheme);
            Assert.Equal("/octo-org", server.Path);
            Assert.True(server.HasSchemeOrPath);
            Assert.False(RegistryServer.Parse("ghcr.io").HasSchemeOrPath);
        }

        [Theory]
        [InlineData("localhost:5000", true)]
        [InlineData("127.0.0.1", true)]
        [InlineData("127.10.0.1:80", true)]
        [InlineData("[::1]", true)]
        [InlineData("ghcr.io", false)]
        [InlineData("10.0.0.1", false)]
        [InlineData("reg.localhost:5000", false)] // a name: the client decides on its resolved address
        public void KnowsLoopback(string input, bool loopback) => Assert.Equal(loopback, RegistryServer.Parse(input).IsLoopback);

        [Fact]
        public void DockerHubTalksToItsApiHost() => Assert.Equal("registry-1.docker.io", RegistryServer.Parse("docker.io").ApiHost);

        [Theory]
        [InlineData("ghcr.io", "https://ghcr.io", true)]
        [InlineData("ghcr.io", "ghcr.io/", true)]
        [InlineData("docker.io", "https://index.docker.io/v1/", true)]
        [InlineData("localhost:5000", "localhost:5001", false)]
        [InlineData("ghcr.io", "not a server", false)]
        public void MatchesConfigKeysInAnyForm(string server, string key, bool match) =>
            Assert.Equal(match, RegistryServer.Parse(server).MatchesConfigKey(key));

        [Fact]
        public void EqualityFollowsTheConfigKey()
        {
            Assert.Equal(RegistryServer.Parse("docker.io"), RegistryServer.Parse("https://index.docker.io/v1/"));
            Assert.NotEqual(RegistryServer.Parse("ghcr.io"), RegistryServer.Parse("quay.io"));
        }
    }
}
