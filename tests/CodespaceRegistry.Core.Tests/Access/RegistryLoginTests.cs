using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Access
{
    /// <summary>End to end: a login against a real registry writes a config that skopeo, a real client, pulls with.</summary>
    [Collection(HtpasswdRegistryCollection.Name)]
    public class RegistryLoginTests
    {
        private readonly HtpasswdRegistryFixture _registry;

        public RegistryLoginTests(HtpasswdRegistryFixture registry) { _registry = registry; }

        private static (int ExitCode, string Output, string Error) SkopeoInspect(string authFile, string image) =>
            ExternalProgram.Run("skopeo", new[] { "inspect", "--raw", "--tls-verify=false", "--authfile", authFile, "docker://" + image });

        [Fact]
        public async Task AVerifiedLoginWritesAConfigSkopeoPullsWith()
        {
            using var temp = new TempDirectory();
            var config = temp.Combine("config.json");
            using var client = _registry.Client();
            var login = RegistryFixture.LoginInto(client, config);

            var result = await login.LoginAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password), verify: true, CancellationToken.None);

            Assert.True(result.Verified);
            Assert.Equal("Basic", result.AuthenticationScheme);
            Assert.Equal(_registry.Host, result.ConfigKey);
            Assert.Equal(CredentialSource.ConfigFile, result.Source);
            Assert.DoesNotContain("Canary", result.ToString());
            var inspect = SkopeoInspect(config, _registry.Image.FullName);
            Assert.True(inspect.ExitCode == 0, inspect.Error);
            Assert.Contains("application/vnd.oci.image.manifest.v1+json", inspect.Output);
        }

        [Fact]
        public async Task ALoginThatFellBackToPlainHttpSaysSoAndAnExplicitHttpServerDoesNot()
        {
            using var temp = new TempDirectory();
            using var client = _registry.Client();
            var login = RegistryFixture.LoginInto(client, temp.Combine("config.json"));
            var alice = RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password);

            var implicitScheme = await login.LoginAsync(_registry.Server, alice, verify: true, CancellationToken.None);
            using var other = _registry.Client();
            var explicitHttp = await RegistryFixture.LoginInto(other, temp.Combine("config2.json")).LoginAsync(RegistryServer.Parse("http://" + _registry.Host), alice, verify: true, CancellationToken.None);

            Assert.True(implicitScheme.FellBackToPlainHttp);
            Assert.False(explicitHttp.FellBackToPlainHttp);
        }

        [Fact]
        public void WithoutALoginSkopeoIsRefused()
        {
            using var temp = new TempDirectory();
            var config = temp.Combine("config.json");
            File.WriteAllText(config, "{}");
            Assert.NotEqual(0, SkopeoInspect(config, _registry.Image.FullName).ExitCode);
        }

        [Fact]
        public async Task AWrongPasswordStoresNothingAndLeavesTheFileByteForByte()
        {
            using var temp = new TempDirectory();
            var config = temp.Combine("config.json");
            var original = "{\n  \"auths\": {\"other.example\": {\"auth\": \"b3RoZXI6cGFzcw==\"}},\n  \"psFormat\": \"table {{.ID}}\"\n}\n";
            File.WriteAllText(config, original);
            var before = File.ReadAllBytes(config);
            var written = File.GetLastWriteTimeUtc(config);
            using var client = _registry.Client();
            var login = RegistryFixture.LoginInto(client, config);

            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() =>
                login.LoginAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.User, "Canary-wrong-4e1d"), verify: true, CancellationToken.None));

            Assert.Equal("RegistryLoginUnauthorized", e.ErrorId);
            Assert.DoesNotContain("Canary", e.ToString());
            Assert.Equal(before, File.ReadAllBytes(config));
            Assert.Equal(written, File.GetLastWriteTimeUtc(config));
        }

        [Fact]
        public async Task AWrongPasswordCreatesNoFile()
        {
            using var temp = new TempDirectory();
            var config = temp.Combine("docker", "config.json");
            using var client = _registry.Client();
            var login = RegistryFixture.LoginInto(client, config);
            await Assert.ThrowsAsync<RegistryProtocolException>(() =>
                login.LoginAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.User, "Canary-wrong-4e1d"), verify: true, CancellationToken.None));
            Assert.False(Directory.Exists(temp.Combine("docker")));
        }

        [Fact]
        public async Task SkipVerificationStoresWithoutAskingTheRegistry()
        {
            using var temp = new TempDirectory();
            var config = temp.Combine("config.json");
            using var client = _registry.Client();
            var login = RegistryFixture.LoginInto(client, config);
            var result = await login.LoginAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.User, "Canary-unverified-2b"), verify: false, CancellationToken.None);
            Assert.False(result.Verified);
            Assert.Equal(0, client.RoundTrips);
            Assert.True(File.Exists(config));
        }

        [Fact]
        public async Task TheStoredCredentialsCheckSeesTheLogin()
        {
            using var temp = new TempDirectory();
            var store = new CredentialStore(new DockerConfigLocation(temp.Combine("config.json"), CredentialFileFormat.Docker));
            var before = await StoredCredentialsCheck.RunAsync(store, _registry.Server, CancellationToken.None);
            Assert.Equal(CheckStatus.Warning, before.Status);
            Assert.Equal("StoredCredentialMissing", before.ErrorId);

            using var client = _registry.Client();
            await new RegistryLogin(client, store).LoginAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password), verify: true, CancellationToken.None);
            var after = await StoredCredentialsCheck.RunAsync(store, _registry.Server, CancellationToken.None);
            Assert.Equal(CheckStatus.Passed, after.Status);
            Assert.DoesNotContain("Canary", after.Detail + after.Remediation);
        }
    }
}
