using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;
using static CodespaceRegistry.Tests.DockerConfig.CredentialStoreTests;

namespace CodespaceRegistry.Tests.DockerConfig
{
    /// <summary>A config.json that is hostile or half-written: classified errors, the file untouched, no temp file left.</summary>
    public class ConfigFileSafetyTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private string ConfigPath => _temp.Combine("config.json");

        private CredentialStore Store() =>
            new CredentialStore(new DockerConfigLocation(ConfigPath, CredentialFileFormat.Docker), NoHelpers());

        private string[] TempFiles() => Directory.GetFiles(_temp.Path, "*.tmp");

        // The whole operation, bounded: a regression that hangs on a FIFO fails instead of hanging the run.
        private static Task<T> Bounded<T>(Func<Task<T>> run) => Task.Run(run).WaitAsync(TimeSpan.FromSeconds(20));

        [Fact]
        public async Task OrphanedTempFilesOfOursAreRemovedByTheNextSave()
        {
            File.WriteAllText(ConfigPath, "{}");
            var orphan = ConfigPath + ".0123456789ab.tmp";
            var young = ConfigPath + ".ba9876543210.tmp";
            var notOurs = ConfigPath + ".backup.tmp";
            foreach (var f in new[] { orphan, young, notOurs }) File.WriteAllText(f, "{\"auths\":{\"x\":{\"auth\":\"" + Canary + "\"}}}");
            File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow - TimeSpan.FromMinutes(5));
            File.SetLastWriteTimeUtc(notOurs, DateTime.UtcNow - TimeSpan.FromMinutes(5));

            await Store().StoreAsync(RegistryServer.Parse("ghcr.io"), Credential(), CancellationToken.None);

            Assert.False(File.Exists(orphan));
            Assert.True(File.Exists(young));
            Assert.True(File.Exists(notOurs));
        }

        [Fact]
        public void TempFilesAreOwnerOnlyFromTheirFirstMoment()
        {
            if (OperatingSystem.IsWindows()) return;
            var temp = ConfigFileUpdate.TempPathFor(ConfigPath);
            using (UnixFiles.CreateOwnerOnly(temp))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp));
            }
        }

        [Fact]
        public async Task ADanglingLinkIsAClassifiedErrorAndLeavesNothingBehind()
        {
            if (OperatingSystem.IsWindows()) return;
            File.CreateSymbolicLink(ConfigPath, _temp.Combine("missing", "config.json"));
            for (var i = 0; i < 2; i++)
            {
                var e = await Assert.ThrowsAsync<RegistryException>(() => Store().StoreAsync(RegistryServer.Parse("ghcr.io"), Credential(), CancellationToken.None));
                Assert.Equal("DockerConfigDanglingLink", e.ErrorId);
            }
            Assert.Empty(TempFiles());
            Assert.Null(await Store().GetAsync(RegistryServer.Parse("ghcr.io"), CancellationToken.None));
        }

        public static TheoryData<string> Hostile() => new()
        {
            "{\"auths\":{\"ghcr.io\":{\"auth\":\"\\ud800\"}}}",
            "{\"credsStore\":\"\\ud800\"}",
            "{\"auths\":{\"\\udc00\":{}}}",
            "{\"auths\":{\"ghcr.io\":{\"email\":\"\xff\"}}}",
        };

        [Theory, MemberData(nameof(Hostile))]
        public async Task AStringThatIsNotTextIsAClassifiedErrorAndTheFileIsKept(string json)
        {
            var bytes = json.Select(c => (byte)c).ToArray(); // \xff stays a lone byte, not UTF-8
            File.WriteAllBytes(ConfigPath, bytes);
            var get = await Assert.ThrowsAsync<RegistryException>(() => Store().GetAsync(RegistryServer.Parse("ghcr.io"), CancellationToken.None));
            Assert.Equal("DockerConfigUnreadable", get.ErrorId);
            var store = await Assert.ThrowsAsync<RegistryException>(() => Store().StoreAsync(RegistryServer.Parse("ghcr.io"), Credential(), CancellationToken.None));
            Assert.Equal("DockerConfigUnreadable", store.ErrorId);
            Assert.Equal(bytes, File.ReadAllBytes(ConfigPath));
            Assert.Empty(TempFiles());
        }

        [Fact]
        public async Task AHugeFileIsRefusedWithoutReadingItWhole()
        {
            using (var file = File.Create(ConfigPath))
            {
                var head = Encoding.ASCII.GetBytes("{\"x\":\"");
                file.Write(head);
                file.SetLength(LocalFile.MaxBytes * 2L); // zeros: sparse, quick to write
            }
            var before = new FileInfo(ConfigPath).Length;
            var e = await Assert.ThrowsAsync<RegistryException>(() => Store().StoreAsync(RegistryServer.Parse("ghcr.io"), Credential(), CancellationToken.None));
            Assert.Equal("DockerConfigUnreadable", e.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, e.Kind);
            Assert.Equal(before, new FileInfo(ConfigPath).Length);
        }

        [Fact]
        public async Task ALinkToADeviceIsRefused()
        {
            if (OperatingSystem.IsWindows()) return;
            File.CreateSymbolicLink(ConfigPath, "/dev/zero");
            var e = await Bounded(() => Assert.ThrowsAsync<RegistryException>(() => Store().GetAsync(RegistryServer.Parse("ghcr.io"), CancellationToken.None)));
            Assert.Equal("DockerConfigUnreadable", e.ErrorId);
        }

        [Fact]
        public async Task AFifoIsRefusedWithoutWaitingForAWriter()
        {
            if (OperatingSystem.IsWindows()) return;
            using (var mkfifo = Process.Start("mkfifo", ConfigPath)) mkfifo.WaitForExit();
            var e = await Bounded(() => Assert.ThrowsAsync<RegistryException>(() => Store().GetAsync(RegistryServer.Parse("ghcr.io"), CancellationToken.None)));
            Assert.Equal("DockerConfigUnreadable", e.ErrorId);
        }
    }
}
