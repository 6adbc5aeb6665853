using System;
using System.Collections.Generic;
using System.Linq;
using CodespaceRegistry.Access;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using Xunit;

namespace CodespaceRegistry.Tests.CredentialHelper
{
    /// <summary>
    /// The reader docker-credential-codespaces' get uses: only the sets whose SERVER names the asked server, each read
    /// exactly as the full reader reads it.
    /// </summary>
    public sealed class SecretSetReaderByServerTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>Findings that compare sets with one another: the by-server reader leaves them out.</summary>
        private static readonly string[] CrossSet = { "DuplicateServer", "NonEcrIdentifier", "EcrIdentifierNotEcrServer" };

        private static readonly KeyValuePair<string, string?>[] Environment =
        {
            Pair("GHCR_CONTAINER_REGISTRY_SERVER", "ghcr.io"),
            Pair("GHCR_CONTAINER_REGISTRY_USER", "octocat"),
            Pair("GHCR_CONTAINER_REGISTRY_PASSWORD", "ghp_CANARY0001 "), // a pasted space: a finding
            Pair("GHCR_CONTAINER_REGISTRY_TOKEN", "x"),                  // misnamed: a finding on GHCR
            Pair("GHCR_EU_CONTAINER_REGISTRY_SERVER", "eu.gcr.io"),      // an identifier that starts like another
            Pair("GHCR_EU_CONTAINER_REGISTRY_USER", "_json_key"),
            Pair("GHCR_EU_CONTAINER_REGISTRY_PASSWORD", "{}"),
            Pair("ghcr2_container_registry_server", "https://GHCR.io/"), // another case, another spelling, one registry
            Pair("ghcr2_container_registry_user", "hubot"),
            Pair("HUB_CONTAINER_REGISTRY_SERVER", "docker.io"),
            Pair("HUB_CONTAINER_REGISTRY_USER", "mona"),
            Pair("HUB_CONTAINER_REGISTRY_PASSWORD", "dckr_pat_CANARY0002"),
            Pair("HUB2_CONTAINER_REGISTRY_SERVER", "https://index.docker.io/v1/"),
            Pair("HUB2_CONTAINER_REGISTRY_USER", "mona"),
            Pair("HUB2_CONTAINER_REGISTRY_PASSWORD", "dckr_pat_CANARY0003"),
            Pair("BAD_CONTAINER_REGISTRY_SERVER", "not a server"),
            Pair("PATH", "/usr/bin"),
        };

        private static KeyValuePair<string, string?> Pair(string name, string value) => new KeyValuePair<string, string?>(name, value);

        private static string Describe(RegistrySecretSet set) =>
            string.Join("|", set.Name, set.ServerValue, set.Server?.ConfigKey, set.User, set.IsComplete, set.EcrMode,
                string.Join(",", set.Findings.Select(f => f.Id).Where(id => !CrossSet.Contains(id))));

        [Theory]
        [InlineData("ghcr.io")]
        [InlineData("eu.gcr.io")]
        [InlineData("docker.io")]
        [InlineData("registry-1.docker.io")]
        [InlineData("quay.io")]
        public void ReadsTheSetsNamingTheServerAsTheFullReaderDoes(string asked)
        {
            var server = RegistryServer.Parse(asked);
            var expected = SecretSetReader.FromEnvironment(Environment, Now).Where(s => server.Equals(s.Server)).Select(Describe);

            var actual = SecretSetReader.FromEnvironment(Environment, Now, value => RegistryServer.TryParse(value, out var s, out _) && server.Equals(s));

            Assert.Equal(expected, actual.Select(Describe));
            Assert.Equal(SecretSetMatch.For(SecretSetReader.FromEnvironment(Environment, Now), server).Winner?.Name,
                         SecretSetMatch.For(actual, server).Winner?.Name);
        }

        [Fact]
        public void ThePredicateSeesServerValuesOnlyNeverAUserOrPassword()
        {
            var asked = new List<string>();
            var sets = SecretSetReader.FromEnvironment(Environment, Now, value => { asked.Add(value); return value == "eu.gcr.io"; });

            Assert.Equal("GHCR_EU", Assert.Single(sets).Name);
            Assert.Equal(new[] { "ghcr.io", "eu.gcr.io", "https://GHCR.io/", "docker.io", "https://index.docker.io/v1/", "not a server" }.OrderBy(v => v),
                         asked.Distinct().OrderBy(v => v));
        }
    }
}
