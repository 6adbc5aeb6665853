using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.EngineTests
{
    /// <summary>
    /// Issue #13: a refused sign-in tells the user to check what they gave. A -Credential is not a secret set: its
    /// remediation speaks of the credential, never of USER/PASSWORD secrets; a set's names its two secrets. On real
    /// registries on 127.0.0.1: htpasswd (Basic) and a token server (Bearer).
    /// </summary>
    public sealed class RefusalMessageTests : IClassFixture<ModuleSession>, IClassFixture<HtpasswdRegistryFixture>, IClassFixture<TokenRegistryFixture>
    {
        private const string Wrong = "Canary-refused-2e7a";
        private readonly ModuleSession _session;
        private readonly HtpasswdRegistryFixture _basic;
        private readonly TokenRegistryFixture _bearer;

        public RefusalMessageTests(ModuleSession session, HtpasswdRegistryFixture basic, TokenRegistryFixture bearer)
        {
            _session = session;
            _basic = basic;
            _bearer = bearer;
        }

        public static TheoryData<string> Registries => new() { "basic", "bearer" };

        private string Host(string registry) => registry == "basic" ? _basic.Host : _bearer.Host;

        private Dictionary<string, object?> Variables(string registry) => new()
        {
            ["server"] = Host(registry),
            ["wrong"] = new PSCredential(RegistryFixture.User, new System.Net.NetworkCredential("", Wrong).SecurePassword),
        };

        [Theory, MemberData(nameof(Registries))]
        public void ALoginWithACredentialSpeaksOfTheCredential(string registry)
        {
            var run = _session.Run("Invoke-RegistryLogin -Server $server -Credential $wrong -ConfigPath (Join-Path $env:DOCKER_CONFIG refused.json)", null, Variables(registry));
            var error = Assert.Single(run.Errors);
            Assert.Equal("RegistryLoginUnauthorized", error.FullyQualifiedErrorId.Split(',')[0]);
            var message = error.Exception.Message;
            Assert.Contains("credential's user name and password", message);
            Assert.Contains("docker login " + Host(registry), message);
            foreach (var word in new[] { "USER", "PASSWORD", "secret" }) Assert.DoesNotContain(word, message, System.StringComparison.Ordinal);
            Assert.DoesNotContain("Secret", message, System.StringComparison.Ordinal);
        }

        [Theory, MemberData(nameof(Registries))]
        public void ACheckWithACredentialSpeaksOfTheCredential(string registry)
        {
            var report = Assert.Single(_session.Run("Test-RegistryAccess -Server $server -Credential $wrong", null, Variables(registry)).Output);
            var checks = ((IEnumerable<object>)report.Properties["Checks"].Value).Select(PSObject.AsPSObject);
            var authentication = checks.Single(c => (string)c.Properties["Name"].Value == "Authentication");
            Assert.Equal("Failed", authentication.Properties["Status"].Value.ToString());
            var remediation = (string)authentication.Properties["Remediation"].Value;
            Assert.Contains("credential's user name and password", remediation);
            Assert.DoesNotContain("secret", remediation, System.StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("USER", remediation, System.StringComparison.Ordinal);
        }

        [Theory, MemberData(nameof(Registries))]
        public void ALoginWithASetNamesItsSecrets(string registry)
        {
            var run = _session.Run("Get-RegistrySecretSet -Name WRONG | Invoke-RegistryLogin -ConfigPath (Join-Path $env:DOCKER_CONFIG refused.json)", new()
            {
                ["WRONG_CONTAINER_REGISTRY_SERVER"] = Host(registry),
                ["WRONG_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
                ["WRONG_CONTAINER_REGISTRY_PASSWORD"] = Wrong,
            });
            var error = Assert.Single(run.Errors);
            Assert.Equal("RegistryLoginUnauthorized", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("Check WRONG_CONTAINER_REGISTRY_USER and WRONG_CONTAINER_REGISTRY_PASSWORD", error.Exception.Message);
            Assert.Contains("copied into the wrong secrets", error.Exception.Message);
            Assert.DoesNotContain(Wrong, error.ToString() + error.Exception);
        }
    }
}
