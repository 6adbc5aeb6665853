using System.Linq;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using Xunit;

namespace CodespaceRegistry.Tests.Access
{
    public class ColdStartTests
    {
        /// <summary>The warm-up runs the code a real first check runs: its checks pass, with Basic auth, a token, and plain HTTP.</summary>
        [Fact]
        public async Task TheWarmUpsChecksPassLikeARealCodespacePull()
        {
            var reports = await ColdStart.CheckAsync();
            Assert.Equal(3, reports.Count);
            Assert.All(reports, report => Assert.True(report.Passed, string.Join("\n", report.Checks)));
            Assert.Equal(new[] { "WARM", "TOKEN", "PLAIN" }, reports.Select(r => r.SecretSet));
            Assert.Contains("plain HTTP", reports[2]["Tls"]!.Detail, System.StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public async Task TheTlsWarmUpEndsWithoutThrowing() => await ColdStart.TlsHandshakeAsync();
    }
}
