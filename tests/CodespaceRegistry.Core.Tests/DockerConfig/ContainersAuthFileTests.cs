using System;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using Xunit;
using static CodespaceRegistry.Tests.DockerConfig.CredentialStoreTests;

using CodespaceRegistry.Tests.Fixtures;

namespace CodespaceRegistry.Tests.DockerConfig
{
    /// <summary>
    /// The containers tools' auth.json, and skopeo (a real client, offline: <c>skopeo login --get-login</c> reads
    /// the file and prints the user it would log in with) reading what the store wrote in either format.
    /// </summary>
    public class ContainersAuthFileTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private string AuthPath => _temp.Combine("containers", "auth.json");

        private CredentialStore Containers() => new CredentialStore(new DockerConfigLocation(AuthPath, CredentialFileFormat.Containers), NoHelpers());

        private CredentialStore Docker() => new CredentialStore(new DockerConfigLocation(_temp.Combine("config.json"), CredentialFileFormat.Docker), NoHelpers());

        private static string SkopeoLogin(string authFile, string server)
        {
            var run = ExternalProgram.Run("skopeo", new[] { "login", "--get-login", "--authfile", authFile, server });
            Assert.True(run.ExitCode == 0, $"skopeo: {run.Error}");
            return run.Output.Trim();
        }

        [Fact]
        public async Task DockerHubIsDockerIoInAuthJson()
        {
            var location = await Containers().StoreAsync(RegistryServer.Parse("https://index.docker.io/v1/"), Credential("hubuser"), CancellationToken.None);

            Assert.Equal("docker.io", location.ConfigKey);
            var auths = (JsonObject)JsonNode.Parse(File.ReadAllText(AuthPath))!["auths"]!;
            Assert.Equal("hubuser:" + Canary, Decode(auths["docker.io"]!["auth"]));
            Assert.Equal("hubuser", SkopeoLogin(AuthPath, "docker.io"));
        }

        [Fact]
        public async Task ALegacyIndexKeyIsReadAndANamespaceKeyIsNotTheRegistry()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(AuthPath)!);
            File.WriteAllText(AuthPath, @"{""auths"": {""https://index.docker.io/v1/"": {""auth"": ""bGVnYWN5OnB3""}, ""quay.io/team"": {""auth"": ""dGVhbTpwdw==""}}}");

            Assert.Equal("legacy", (await Containers().GetAsync(RegistryServer.Parse("docker.io"), CancellationToken.None))!.UserName);
            Assert.Null(await Containers().GetAsync(RegistryServer.Parse("quay.io"), CancellationToken.None));
            Assert.Empty((await Containers().DescribeAsync(RegistryServer.Parse("quay.io"), CancellationToken.None)).Warnings);
        }

        [Fact]
        public async Task CredsStoreIsNotTheContainersToolsBusiness()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(AuthPath)!);
            File.WriteAllText(AuthPath, @"{""credsStore"": ""desktop""}");
            var location = await Containers().StoreAsync(RegistryServer.Parse("ghcr.io"), Credential(), CancellationToken.None);
            Assert.Equal(CredentialSource.ConfigFile, location.Source);
            Assert.Equal("desktop", JsonNode.Parse(File.ReadAllText(AuthPath))!["credsStore"]!.GetValue<string>());
        }

        [Fact]
        public async Task SkopeoReadsTheDockerConfigTheStoreWrote()
        {
            var docker = Docker();
            await docker.StoreAsync(RegistryServer.Parse("docker.io"), Credential("hubuser"), CancellationToken.None);
            await docker.StoreAsync(RegistryServer.Parse("localhost:5000"), Credential("localuser"), CancellationToken.None);
            await docker.StoreAsync(RegistryServer.Parse("https://ghcr.io/"), Credential("octocat"), CancellationToken.None);

            var config = _temp.Combine("config.json");
            Assert.Equal("hubuser", SkopeoLogin(config, "docker.io"));
            Assert.Equal("localuser", SkopeoLogin(config, "localhost:5000"));
            Assert.Equal("octocat", SkopeoLogin(config, "ghcr.io"));
        }
    }
}
