using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
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
        /// The rehearsal's registries serve what a real first check runs, through the same transport and sockets: checks
        /// of its images with its sets pass, with Basic auth and with a token over plain HTTP (after the https probe
        /// failed and fell back), and with a token over TLS, whose certificate only the rehearsal's client trusts.
        /// </summary>
        [Fact]
        public async Task TheRehearsalsChecksPassLikeARealCodespacePull()
        {
            using var rehearsal = ColdStart.Rehearsal.Create();
            Assert.NotNull(rehearsal);
            Assert.True(rehearsal!.ServeTls());
            using var client = rehearsal.CreateClient(new RegistryClientOptions());
            var targets = rehearsal.Images.Select(i => RegistryAccessTarget.ForImageAsCodespace(ImageReference.Parse(i), rehearsal.SecretSets)).ToList();
            var reports = await Task.WhenAll(new RegistryAccessTester(client).StartAll(targets, push: false, throttleLimit: 3, CancellationToken.None));
            Assert.All(reports, report => Assert.True(report.Passed, string.Join("\n", report.Checks)));
            Assert.Equal(new[] { "WARM", "TOKEN", "SECURE" }, reports.Select(r => r.SecretSet));
            Assert.Contains("plain HTTP", reports[0]["Tls"]!.Detail, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("plain HTTP", reports[1]["Tls"]!.Detail, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("is trusted", reports[2]["Tls"]!.Detail, StringComparison.Ordinal);
            Assert.All(rehearsal.Images, image => Assert.StartsWith("127.0.0.1:", image, StringComparison.Ordinal));

            // A client that trusts as a user's does refuses the rehearsal's certificate.
            using var user = new RegistryClient(new RegistryClientOptions { Trust = RegistryTrust.None });
            var refused = await new RegistryAccessTester(user).StartAll(targets.Skip(2).ToList(), push: false, throttleLimit: 1, CancellationToken.None).Single();
            Assert.False(refused.Passed);
            Assert.Equal("Tls", refused.FirstFailure!.Name);
        }

        /// <summary>Until the rehearsal serves TLS, its TLS registry closes every connection: nothing is served without a certificate.</summary>
        [Fact]
        public async Task TheTlsRegistryClosesConnectionsUntilItHasACertificate()
        {
            using var rehearsal = ColdStart.Rehearsal.Create()!;
            var endpoint = IPEndPoint.Parse(ImageReference.Parse(rehearsal.Images[2]).Registry.Host);
            using var stranger = new TcpClient();
            await stranger.ConnectAsync(endpoint.Address, endpoint.Port);
            Assert.Equal(0, await ReadUntilClosedAsync(stranger.GetStream()));
        }

        /// <summary>Disposing the rehearsal closes its listeners and the connections they accepted, a stranger's held open too.</summary>
        [Fact]
        public async Task DisposingTheRehearsalClosesItsListenersAndConnections()
        {
            var rehearsal = ColdStart.Rehearsal.Create()!;
            var endpoints = rehearsal.Images.Select(i => IPEndPoint.Parse(ImageReference.Parse(i).Registry.Host)).ToList();
            using var stranger = new TcpClient();
            await stranger.ConnectAsync(endpoints[0].Address, endpoints[0].Port);
            var stream = stranger.GetStream();
            await stream.WriteAsync(new byte[] { (byte)'G' }); // half a request line: the server waits for the rest
            rehearsal.Dispose();
            Assert.Equal(0, await ReadUntilClosedAsync(stream));
            foreach (var endpoint in endpoints)
            {
                using var late = new TcpClient();
                await Assert.ThrowsAnyAsync<SocketException>(() => late.ConnectAsync(endpoint.Address, endpoint.Port));
            }
        }

        /// <summary>What a read gets once the server has closed the connection: 0 bytes (or a reset); bounded at 10 s.</summary>
        private static async Task<int> ReadUntilClosedAsync(NetworkStream stream)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                return await stream.ReadAsync(new byte[64], timeout.Token);
            }
            catch (IOException)
            {
                return 0; // reset
            }
        }

        /// <summary>The rehearsal's certificate is for 127.0.0.1 only, short-lived, with a key that lives in memory.</summary>
        [Fact]
        public void TheRehearsalsCertificateIsForLoopbackAndShortLived()
        {
            using var certificate = ColdStart.LoopbackCertificate();
            Assert.NotNull(certificate);
            Assert.True(certificate!.HasPrivateKey);
            Assert.Equal(new[] { "127.0.0.1" }, CertificateNames.Of(certificate));
            Assert.True(certificate.NotAfter.ToUniversalTime() <= DateTime.UtcNow.AddHours(1).AddMinutes(1));
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
