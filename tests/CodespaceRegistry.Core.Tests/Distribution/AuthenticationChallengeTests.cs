using System.Linq;
using CodespaceRegistry.Distribution;
using Xunit;

namespace CodespaceRegistry.Tests.Distribution
{
    public class AuthenticationChallengeTests
    {
        [Fact]
        public void ParsesABearerChallengeOfARegistry()
        {
            var c = AuthenticationChallenge.Parse("Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:octo-org/app:pull\"").Single();
            Assert.True(c.IsScheme("bearer"));
            Assert.Equal("https://ghcr.io/token", c.Realm);
            Assert.Equal("ghcr.io", c.Service);
            Assert.Equal("repository:octo-org/app:pull", c.Scope);
        }

        [Fact]
        public void QuotedValuesKeepCommasAndUnescape()
        {
            var c = AuthenticationChallenge.Parse("Bearer realm=\"https://a/token\", scope=\"repository:x:pull,push\", error=\"insufficient_scope\", note=\"say \\\"hi\\\", ok\"").Single();
            Assert.Equal("repository:x:pull,push", c.Scope);
            Assert.Equal("insufficient_scope", c.Error);
            Assert.Equal("say \"hi\", ok", c.Parameter("NOTE"));
        }

        [Fact]
        public void SeveralChallengesInOneHeaderAndAcrossHeaders()
        {
            var all = AuthenticationChallenge.Parse(new[] { "Basic realm=\"r\", BEARER realm=\"https://t/token\",service=s, error=invalid_token", "Negotiate abc123==" });
            Assert.Equal(new[] { "Basic", "BEARER", "Negotiate" }, all.Select(c => c.Scheme));
            Assert.Equal("r", all[0].Realm);
            Assert.Equal("s", all[1].Service);
            Assert.Equal("invalid_token", all[1].Error);
            Assert.Equal("abc123==", all[2].Token68);
        }

        [Fact]
        public void BareSchemesAndOddSpacing()
        {
            var all = AuthenticationChallenge.Parse("Basic, Bearer  realm = \"https://t\" ,  service=\"x\"");
            Assert.Equal(2, all.Count);
            Assert.Empty(all[0].Parameters);
            Assert.Equal("https://t", all[1].Realm);
            Assert.Equal("x", all[1].Service);
        }

        [Fact]
        public void GarbageYieldsNoInventedParameters()
        {
            var all = AuthenticationChallenge.Parse("\"unterminated, ==");
            Assert.All(all, c => Assert.Null(c.Realm));
            Assert.Empty(AuthenticationChallenge.Parse(""));
        }
    }
}
