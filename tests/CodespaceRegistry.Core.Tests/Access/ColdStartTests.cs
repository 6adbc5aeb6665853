using System.Linq;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using Xunit;

namespace CodespaceRegistry.Tests.Access
{
    public class ColdStartTests
    {
        /// <summary>
        /// The warm-up runs the code a real first check runs: through the socket transport, its checks pass with Basic auth
        /// and with a token, after the https probe failed and fell back to plain HTTP.
        /// </summary>
        [Fact]
        public async Task TheWarmUpsChecksPassLikeARealCodespacePull()
        {
            var reports = await ColdStart.CheckAsync();
            Assert.Equal(2, reports.Count);
            Assert.All(reports, report => Assert.True(report.Passed, string.Join("\n", report.Checks)));
            Assert.Equal(new[] { "WARM", "TOKEN" }, reports.Select(r => r.SecretSet));
            Assert.All(reports, report => Assert.Contains("plain HTTP", report["Tls"]!.Detail, System.StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>The embedded certificate loads, and does not chain to a trusted root (it is self-signed).</summary>
        [Fact]
        public void TheChainWarmUpBuildsAnUntrustedChain() => Assert.False(ColdStart.BuildChain());
    }
}
