using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Distribution
{
    [Collection(HtpasswdRegistryCollection.Name)]
    public class HtpasswdRegistryTests
    {
        private readonly HtpasswdRegistryFixture _registry;

        public HtpasswdRegistryTests(HtpasswdRegistryFixture registry) { _registry = registry; }

        [Fact]
        public async Task PingFallsBackToPlainHttpOnLoopbackAndSeesBasic()
        {
            using var client = _registry.Client();
            var ping = await client.PingAsync(_registry.Server);
            Assert.Equal("http", ping.BaseUri.Scheme);
            Assert.Equal("Basic", ping.AuthenticationScheme);
            Assert.Equal("registry/2.0", ping.ApiVersion);
        }

        [Fact]
        public async Task GoodCredentialsSignIn()
        {
            using var client = _registry.Client();
            var auth = await client.AuthenticateAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password));
            Assert.Equal("Basic", auth.Scheme);
        }

        [Fact]
        public async Task WrongPasswordIsUnauthorizedAndNeverEchoed()
        {
            using var client = _registry.Client();
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() =>
                client.AuthenticateAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.User, "Canary-wrong-0b5e")));
            Assert.Equal("RegistryLoginUnauthorized", e.ErrorId);
            Assert.Equal(401, e.StatusCode);
            Assert.DoesNotContain("Canary", e.ToString());
        }

        [Fact]
        public async Task PullCheckFindsTheManifestWithItsDigest()
        {
            using var client = _registry.Client();
            var result = await client.CheckAccessAsync(_registry.Image, RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password), push: false);
            Assert.True(result.Allowed, result.Exception?.Message);
            Assert.StartsWith("sha256:", result.Digest);
        }

        [Fact]
        public async Task PushCheckStartsAndCancelsAnUpload()
        {
            using var client = _registry.Client();
            var result = await client.CheckAccessAsync(_registry.Image, RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password), push: true);
            Assert.True(result.Allowed, result.Exception?.Message);
        }

        [Fact]
        public async Task UnknownTagAndUnknownRepositoryAreTold()
        {
            using var client = _registry.Client();
            var credential = RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password);
            var tag = await client.CheckAccessAsync(Registries.ImageReference.Parse(_registry.Host + "/demo/app:missing"), credential, push: false);
            Assert.Equal(RegistryFailure.ManifestUnknown, tag.Failure);
            var repo = await client.CheckAccessAsync(Registries.ImageReference.Parse(_registry.Host + "/demo/nothing:v1"), credential, push: false);
            Assert.Equal(RegistryFailure.RepositoryUnknown, repo.Failure);
        }

        [Fact]
        public async Task AnonymousPullIsUnauthorized()
        {
            using var client = _registry.Client();
            var result = await client.CheckAccessAsync(_registry.Image, null, push: false);
            Assert.Equal(RegistryFailure.Unauthorized, result.Failure);
            Assert.Equal("RegistryLoginUnauthorized", result.Exception!.ErrorId);
        }

        [Fact]
        public async Task ConnectionsAndPingAreReusedWithinASession()
        {
            using var client = _registry.Client();
            var credential = RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password);
            await client.CheckAccessAsync(_registry.Image, credential, push: false);
            var first = client.RoundTrips;
            await client.CheckAccessAsync(_registry.Image, credential, push: false);
            Assert.Equal(1, client.RoundTrips - first);
        }
    }
}
