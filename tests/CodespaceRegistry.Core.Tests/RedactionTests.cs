using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using Xunit;

namespace CodespaceRegistry.Tests
{
    /// <summary>Passwords written where they do not belong (user info, the wrong secret, a huge input) never come out.</summary>
    public class RedactionTests
    {
        // Not token-shaped: a password that only its place can give away.
        private const string Canary = "Pw-canary-7f3a!";

        private static RegistrySecretSet ReadSet(string server, string user, string password) =>
            Assert.Single(SecretSetReader.FromEnvironment(new Dictionary<string, string?>
            {
                ["ACME_CONTAINER_REGISTRY_SERVER"] = server,
                ["ACME_CONTAINER_REGISTRY_USER"] = user,
                ["ACME_CONTAINER_REGISTRY_PASSWORD"] = password,
            }, DateTimeOffset.UtcNow));

        private static IEnumerable<string?> Shown(RegistrySecretSet set) =>
            new[] { set.ToString(), set.ServerValue, set.User, set.Server?.Input }
                .Concat(set.Findings.SelectMany(f => new[] { f.ToString(), f.Message, f.Fix }));

        [Fact]
        public void ServerValueHidesUserInfo()
        {
            var set = ReadSet("https://alice:" + Canary + "@ghcr.io", "octocat", "x");
            Assert.Equal("https://***@ghcr.io", set.ServerValue);
            Assert.All(Shown(set), s => Assert.DoesNotContain(Canary, s ?? ""));
        }

        [Theory]
        [InlineData("ghcr.io", Canary, Canary)]                    // the password pasted in USER too
        [InlineData(Canary, "octocat", Canary)]                    // ... in SERVER too
        [InlineData("ghcr.io/" + Canary, "octocat", Canary)]
        public void APasswordInTheWrongSecretIsNotShown(string server, string user, string password)
        {
            var set = ReadSet(server, user, password);
            Assert.Contains(set.Findings, f => f.Id == "SecretInWrongSecret");
            Assert.All(Shown(set), s => Assert.DoesNotContain(Canary, s ?? ""));
        }

        [Fact]
        public async Task ASetWhoseUserIsThePasswordIsNotSentAsTheUser()
        {
            var set = ReadSet("ghcr.io", Canary, Canary);
            var e = await Assert.ThrowsAsync<RegistryException>(() => new CredentialResolver(null).ResolveAsync(set, CancellationToken.None));
            Assert.Equal("RegistrySecretSetUserHidden", e.ErrorId);
            Assert.DoesNotContain(Canary, e.ToString());
        }

        [Fact]
        public void ServerParseErrorsHideUserInfoAndAreShort()
        {
            foreach (var server in new[] { "alice:" + Canary + "@ghcr.io", "http://alice:" + Canary + "@127.0.0.1:5000", "alice:" + Canary + "@localhost:5000" })
            {
                var e = Assert.Throws<RegistryException>(() => RegistryServer.Parse(server));
                Assert.DoesNotContain(Canary, e.Message);
            }
            var huge = Assert.Throws<RegistryException>(() => RegistryServer.Parse(new string('a', 10_000_000) + " b"));
            Assert.True(huge.Message.Length < 500, $"{huge.Message.Length} characters");
        }

        [Theory]
        [InlineData("alice:" + Canary + "@ghcr.io/octo/app:1")]
        [InlineData("https://alice:" + Canary + "@ghcr.io/octo/app")]
        public void ImageReferenceParseErrorsHideUserInfo(string input)
        {
            var e = Assert.Throws<RegistryException>(() => ImageReference.Parse(input));
            Assert.DoesNotContain(Canary, e.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("ghcr.io/octo/app:")]
        [InlineData("ghcr.io/octo/app@sha256:")]
        [InlineData("ghcr.io/octo/")]
        public void ImageReferenceParseErrorsAreShort(string prefix)
        {
            var e = Assert.Throws<RegistryException>(() => ImageReference.Parse(prefix + new string('A', 10_000_000)));
            Assert.True(e.Message.Length < 600, $"{e.Message.Length} characters");
        }

        [Theory]
        [InlineData("https://alice:pw@ghcr.io/v2/", "https://***@ghcr.io/v2/")]
        [InlineData("alice:pw@ghcr.io", "***@ghcr.io")]
        [InlineData("ghcr.io/octo/app@sha256:abc", "ghcr.io/octo/app@sha256:abc")]
        [InlineData("ubuntu@sha256:0123456789abcdef", "ubuntu@sha256:0123456789abcdef")]
        [InlineData("ghcr.io", "ghcr.io")]
        // A host and port after '@' is no digest (regression: the password of these was shown).
        [InlineData("http://alice:pw@127.0.0.1:5000", "http://***@127.0.0.1:5000")]
        [InlineData("https://alice:pw@registry.lan:443", "https://***@registry.lan:443")]
        [InlineData("alice:pw@127.0.0.1:5000", "***@127.0.0.1:5000")]
        [InlineData("https://alice:pw@ghcr.io@sha256:0123456789abcdef", "https://***@sha256:0123456789abcdef")]
        [InlineData("", "")]
        [InlineData("https://", "https://")]
        public void WithoutUserInfo(string input, string expected) => Assert.Equal(expected, Redaction.WithoutUserInfo(input));

        [Theory]
        [InlineData("W\\u00f6rd")]
        [InlineData("W\\u00F6rd")]
        [InlineData("W\\u00f6\\u0072d")]
        [InlineData("Wörd")]
        public void RedactSecretFindsJsonEscapedForms(string printed) =>
            Assert.Equal("got \"[redacted]\"", Redaction.RedactSecret("got \"" + printed + "\"", "Wörd"));

        [Fact]
        public void RedactSecretFindsShortEscapes() =>
            Assert.Equal("x [redacted] y", Redaction.RedactSecret("x a\\/b\\\"c\\n y", "a/b\"c\n"));
    }
}
