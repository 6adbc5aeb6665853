using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
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
            var login = RegistryFixture.LoginInto(client, auth, CredentialFileFormat.Containers);

            var result = await login.LoginAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.PullUser, RegistryFixture.PullPassword), verify: true, CancellationToken.None);

            Assert.Equal("Bearer", result.AuthenticationScheme);
            var inspect = ExternalProgram.Run("skopeo", new[] { "inspect", "--raw", "--tls-verify=false", "--authfile", auth, "docker://" + _registry.Image.FullName });
            Assert.True(inspect.ExitCode == 0, inspect.Error);
        }

        [Fact]
        public async Task AStoredIdentityTokenIsExchangedWithTheOAuthRefreshGrant()
        {
            // An identity token as docker login stores one for registries that hand them out (offline_token=true).
            using var http = new HttpClient();
            var request = new HttpRequestMessage(HttpMethod.Get, _registry.TokenServer!.Realm + "?service=" + TokenServer.Service + "&offline_token=true&client_id=docker");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(RegistryFixture.PullUser + ":" + RegistryFixture.PullPassword)));
            using var response = await http.SendAsync(request);
            var refresh = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("refresh_token").GetString()!;

            using var client = _registry.Client();
            var result = await client.CheckAccessAsync(_registry.Image, RegistryFixture.Credential(CredentialStore.IdentityTokenUserName, refresh), push: false);
            Assert.True(result.Allowed, result.Exception?.Message);
            Assert.Equal(RegistryClient.ClientId, _registry.TokenServer.RefreshRequests.Last());
        }

        [Fact]
        public async Task ARevokedIdentityTokenIsUnauthorized()
        {
            using var client = _registry.Client();
            var result = await client.CheckAccessAsync(_registry.Image,
                RegistryFixture.Credential(CredentialStore.IdentityTokenUserName, "Canary-refresh-0000"), push: false);
            Assert.Equal(RegistryFailure.Unauthorized, result.Failure);
            Assert.Contains("identity token", result.Exception!.Message);
            Assert.DoesNotContain("Canary", result.Exception.ToString());
        }
    }
}
