using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Tests.DockerConfig;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Access
{
    [Collection(TokenRegistryCollection.Name)]
    public class TokenRegistryLoginTests
    {
        private readonly TokenRegistryFixture _registry;

        public TokenRegistryLoginTests(TokenRegistryFixture registry) { _registry = registry; }

        [Fact]
        public async Task ABearerLoginWritesAContainersAuthFileSkopeoPullsWith()
        {
            using var temp = new TempDirectory();
            var auth = temp.Combine("auth.json");
            using var client = _registry.Client();
            var login = new RegistryLogin(client, new CredentialStore(new DockerConfigLocation(auth, CredentialFileFormat.Containers)));

            var result = await login.LoginAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.PullUser, RegistryFixture.PullPassword), verify: true, CancellationToken.None);

            Assert.Equal("Bearer", result.AuthenticationScheme);
            var inspect = ExternalProgram.Run("skopeo", new[] { "inspect", "--raw", "--tls-verify=false", "--authfile", auth, "docker://" + _registry.Image.FullName });
            Assert.True(inspect.ExitCode == 0, inspect.Error);
        }
    }
}
