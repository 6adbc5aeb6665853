using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.EngineTests
{
    /// <summary>
    /// What one PowerShell session keeps from one command to the next (pings, tokens, connections), counted where the
    /// requests arrive: the registry's access log and its token server. Registries of this class's own, so that no
    /// other test has warmed the session for them.
    /// </summary>
    public sealed class SessionReuseTests : IClassFixture<ModuleSession>, IClassFixture<TokenRegistryFixture>, IClassFixture<HtpasswdRegistryFixture>, IClassFixture<TlsRegistryFixture>
    {
        private readonly ModuleSession _session;
        private readonly TokenRegistryFixture _token;
        private readonly HtpasswdRegistryFixture _basic;
        private readonly TlsRegistryFixture _tls;

        public SessionReuseTests(ModuleSession session, TokenRegistryFixture token, HtpasswdRegistryFixture basic, TlsRegistryFixture tls)
        {
            _session = session;
            _token = token;
            _basic = basic;
            _tls = tls;
        }

        private static Dictionary<string, string?> SetFor(RegistryFixture registry) => new()
        {
            ["REUSE_CONTAINER_REGISTRY_SERVER"] = registry.Host,
            ["REUSE_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
            ["REUSE_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password,
        };

        /// <summary>Runs a check and returns the HTTP requests it cost (registry and token server), asserting that it passed.</summary>
        private int Requests(RegistryFixture registry, string script, Dictionary<string, object?>? variables = null)
        {
            var before = registry.SettledRequestsAsync().GetAwaiter().GetResult() + (registry.TokenServer?.Requests ?? 0);
            var run = _session.Run(script, SetFor(registry), variables).ThrowIfFailed();
            Assert.All(run.Output, report => Assert.True((bool)report.Properties["Passed"].Value, (string)report.Properties["Summary"].Value));
            return registry.SettledRequestsAsync().GetAwaiter().GetResult() + (registry.TokenServer?.Requests ?? 0) - before;
        }

        [Fact]
        public void ABearerPullCheckCostsThreeRequestsColdAndOneWarm()
        {
            var check = "Test-RegistryAccess -Image $image";
            var variables = new Dictionary<string, object?> { ["image"] = _token.ImageName };
            Assert.Equal(3, Requests(_token, check, variables)); // GET /v2/ (the challenge), the token for the pull scope, HEAD of the manifest
            Assert.Equal(1, Requests(_token, check, variables)); // the next command: HEAD of the manifest
            Assert.Equal(3, Requests(_token, check + " -NoCache", variables)); // afresh
        }

        [Fact]
        public void ABasicPullCheckCostsTwoRequestsColdAndOneWarm()
        {
            var variables = new Dictionary<string, object?> { ["image"] = _basic.ImageName };
            Assert.Equal(2, Requests(_basic, "Test-RegistryAccess -Image $image", variables));
            Assert.Equal(1, Requests(_basic, "Test-RegistryAccess -Image $image", variables));
        }

        [Fact]
        public void OneSetAgainstManyImagesAsksOneToken()
        {
            var images = _token.PushCopies("many/app", repositories: 3, tags: 2).Append(_token.ImageName).ToArray();
            var requests = Requests(_token, "Get-RegistrySecretSet -Name REUSE | Test-RegistryAccess -Image $images -NoCache", new() { ["images"] = images });
            Assert.Equal(images.Length + 2, requests); // one ping, one token for every repository, one HEAD per image
        }

        [Fact]
        public void ACertificateAcceptedUnderInsecureIsNotTrustedByTheNextCommand()
        {
            var server = _tls.Host;
            var insecure = _session.Run("Test-RegistryAccess -Server $server -Insecure", variables: new() { ["server"] = server }).ThrowIfFailed();
            Assert.Equal("Passed", Status(Assert.Single(insecure.Output), "Tls"));
            var strict = _session.Run("Test-RegistryAccess -Server $server", variables: new() { ["server"] = server }).ThrowIfFailed();
            Assert.Equal("Failed", Status(Assert.Single(strict.Output), "Tls"));
            Assert.Equal("RegistryTlsUntrusted", Status(strict.Output[0], "Tls", "ErrorId"));
        }

        private static string Status(PSObject report, string check, string property = "Status") =>
            ((IEnumerable<object>)report.Properties["Checks"].Value).Select(PSObject.AsPSObject)
                .Single(c => (string)c.Properties["Name"].Value == check).Properties[property].Value?.ToString() ?? "";
    }
}
