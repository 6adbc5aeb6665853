using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using Xunit;

namespace CodespaceRegistry.Tests.Access
{
    public class ColdStartTests
    {
        /// <summary>
        /// The rehearsal's registries serve what a real first check runs: through the socket transport, checks of its
        /// images with its sets pass with Basic auth and with a token, after the https probe failed and fell back to plain HTTP.
        /// </summary>
        [Fact]
        public async Task TheRehearsalsChecksPassLikeARealCodespacePull()
        {
            using var rehearsal = ColdStart.Rehearsal.Create();
            Assert.NotNull(rehearsal);
            using var client = rehearsal!.CreateClient(new RegistryClientOptions());
            var targets = rehearsal.Images.Select(i => RegistryAccessTarget.ForImageAsCodespace(ImageReference.Parse(i), rehearsal.SecretSets));
            var reports = await Task.WhenAll(new RegistryAccessTester(client).StartAll(targets.ToList(), push: false, throttleLimit: 2, CancellationToken.None));
            Assert.Equal(2, reports.Length);
            Assert.All(reports, report => Assert.True(report.Passed, string.Join("\n", report.Checks)));
            Assert.Equal(new[] { "WARM", "TOKEN" }, reports.Select(r => r.SecretSet));
            Assert.All(reports, report => Assert.Contains("plain HTTP", report["Tls"]!.Detail, System.StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>The rehearsal's docker config is never there: its parent is an assembly, a file, so nothing can be created at that path.</summary>
        [Fact]
        public void TheRehearsalsDockerConfigCannotExist()
        {
            using var rehearsal = ColdStart.Rehearsal.Create();
            var path = rehearsal!.CredentialFile.Path;
            Assert.False(File.Exists(path));
            Assert.True(File.Exists(Path.GetDirectoryName(path)));
            Assert.False(DockerConfigFile.Read(rehearsal.CredentialFile).Exists);
        }

        /// <summary>The embedded certificate loads, and does not chain to a trusted root (it is self-signed).</summary>
        [Fact]
        public void TheChainWarmUpBuildsAnUntrustedChain() => Assert.False(ColdStart.BuildChain());
    }
}
