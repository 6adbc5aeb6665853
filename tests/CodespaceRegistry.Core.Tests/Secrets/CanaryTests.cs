using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using Xunit;

namespace CodespaceRegistry.Tests.Secrets
{
    /// <summary>A canary secret, placed everywhere users put secrets (and where they put them by mistake), never comes out.</summary>
    public class CanaryTests
    {
        private const string Canary = "ghp_fake-CANARY-canary-token";

        private static IEnumerable<string?> Everything(RegistrySecretSet set)
        {
            yield return set.ToString();
            foreach (var value in Strings(set)) yield return value;
            if (set.Server != null)
            {
                yield return set.Server.ToString();
                foreach (var value in Strings(set.Server)) yield return value;
            }
            foreach (var f in set.Findings)
            {
                yield return f.ToString();
                foreach (var value in Strings(f)) yield return value;
            }
        }

        private static IEnumerable<string?> Strings(object o) =>
            o.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.PropertyType == typeof(string)).Select(p => (string?)p.GetValue(o));

        public static TheoryData<string, string, string> Placements() => new()
        {
            { "ghcr.io", "octocat", Canary },
            { "ghcr.io", "octocat", " " + Canary + "\n" },
            { "ghcr.io", "octocat", "'" + Canary + "'" },
            { Canary, "octocat", "ghcr.io" },                            // server and password swapped
            { "ghcr.io", Canary, "octocat" },                            // user and password swapped
            { "ghcr.io/" + Canary, "octocat", "x" },                     // pasted after the host
            { "https://index.docker.io/v1/", "octocat", Canary },
            { "123456789012.dkr.ecr.us-east-1.amazonaws.com", "AWS", Canary },
            { "123456789012.dkr.ecr.us-east-1.amazonaws.com", "AKIAIOSFODNN7EXAMPLE", Canary },
            { "github_pat_" + Canary, "x", "y" },
        };

        [Theory, MemberData(nameof(Placements))]
        public void NeverLeavesTheReader(string server, string user, string password)
        {
            var variables = new Dictionary<string, string?>
            {
                ["ACME_CONTAINER_REGISTRY_SERVER"] = server,
                ["ACME_CONTAINER_REGISTRY_USER"] = user,
                ["ACME_CONTAINER_REGISTRY_PASSWORD"] = password,
                ["ACME_CONTAINER_REGISTRY_TOKEN"] = Canary,
            };
            var set = Assert.Single(SecretSetReader.FromEnvironment(variables, DateTimeOffset.UtcNow));
            var leaks = Everything(set).Where(s => s != null && s.IndexOf("CANARY", StringComparison.OrdinalIgnoreCase) >= 0).ToList();
            Assert.Empty(leaks);
        }

        [Fact]
        public void PasswordIsKeptOnlyAsASecureString()
        {
            var set = SecretSetReader.FromEnvironment(new Dictionary<string, string?>
            {
                ["ACME_CONTAINER_REGISTRY_SERVER"] = "ghcr.io",
                ["ACME_CONTAINER_REGISTRY_USER"] = "octocat",
                ["ACME_CONTAINER_REGISTRY_PASSWORD"] = Canary,
            }, DateTimeOffset.UtcNow).Single();
            Assert.Equal(Canary, SecureStrings.Reveal(set.Password!));
            Assert.DoesNotContain(typeof(RegistrySecretSet).GetProperties(), p => p.PropertyType == typeof(string) && (string?)p.GetValue(set) == Canary);
        }

        [Fact]
        public void ACredentialPrintsOnlyItsUser() =>
            Assert.Equal("octocat", new RegistryCredential("octocat", SecureStrings.ToSecureString(Canary)).ToString());
    }
}
