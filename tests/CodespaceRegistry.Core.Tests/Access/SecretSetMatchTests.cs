using System;
using System.Collections.Generic;
using System.Linq;
using CodespaceRegistry.Access;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using Xunit;

namespace CodespaceRegistry.Tests.Access
{
    public class SecretSetMatchTests
    {
        private static IReadOnlyList<RegistrySecretSet> Sets(params (string Id, string Server, bool Complete)[] sets)
        {
            var variables = new Dictionary<string, string?>();
            foreach (var (id, server, complete) in sets)
            {
                variables[id + RegistrySecretSet.ServerSuffix] = server;
                variables[id + RegistrySecretSet.UserSuffix] = "octocat";
                if (complete) variables[id + RegistrySecretSet.PasswordSuffix] = "Canary-match-pw";
            }
            return SecretSetReader.FromEnvironment(variables, DateTimeOffset.UtcNow);
        }

        [Theory]
        [InlineData("ubuntu:22.04")]
        [InlineData("docker.io/library/ubuntu:22.04")]
        [InlineData("index.docker.io/library/ubuntu:22.04")]
        [InlineData("registry-1.docker.io/library/ubuntu:22.04")]
        public void DockerHubAliasesAreOneRegistryAsInDockersConfig(string image)
        {
            var match = SecretSetMatch.For(Sets(("HUB", "https://index.docker.io/v1/", true), ("GHCR", "ghcr.io", true)), ImageReference.Parse(image).Registry);
            Assert.Equal("HUB", match.Winner!.Name);
            Assert.Empty(match.Shadowed);
        }

        [Fact]
        public void TheLastCompleteSetInNameOrderWinsAndTheOthersAreShadowed()
        {
            var match = SecretSetMatch.For(Sets(("ZETA", "127.0.0.1:5055", true), ("ALPHA", "127.0.0.1:5055", true), ("HALF", "127.0.0.1:5055", false), ("OTHER", "127.0.0.1:5056", true)),
                RegistryServer.Parse("127.0.0.1:5055"));
            Assert.Equal("ZETA", match.Winner!.Name);
            Assert.Equal(new[] { "ALPHA" }, match.Shadowed.Select(s => s.Name));
            Assert.Equal(new[] { "HALF" }, match.Incomplete.Select(s => s.Name));
        }

        [Fact]
        public void AnotherPortIsAnotherRegistry()
        {
            var match = SecretSetMatch.For(Sets(("LOCAL", "127.0.0.1:5055", true)), RegistryServer.Parse("127.0.0.1:5056"));
            Assert.Null(match.Winner);
            Assert.Empty(match.Incomplete);
        }

        [Fact]
        public void AnImageTargetTakesTheWinnerOrIsAnonymous()
        {
            var sets = Sets(("LOCAL", "127.0.0.1:5055", true));
            var covered = RegistryAccessTarget.ForImageAsCodespace(ImageReference.Parse("127.0.0.1:5055/team/tiny:1"), sets);
            Assert.Equal(AccessCredentialSource.SecretSet, covered.CredentialSource);
            Assert.Equal("LOCAL", covered.SecretSet!.Name);
            var anonymous = RegistryAccessTarget.ForImageAsCodespace(ImageReference.Parse("127.0.0.1:5056/team/tiny:1"), sets);
            Assert.Equal(AccessCredentialSource.Anonymous, anonymous.CredentialSource);
            Assert.NotEqual(covered.Key, anonymous.Key);
            Assert.Equal(covered.Key, RegistryAccessTarget.ForImageAsCodespace(ImageReference.Parse("127.0.0.1:5055/team/tiny:1"), sets).Key);
        }
    }
}
