using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Ecr
{
    /// <summary>
    /// The ECR token cache reads its entries as every file Core did not just write is read (issue #13): only a regular
    /// file of at most <see cref="EcrTokenCache.MaxEntryBytes"/>; anything else is a cache miss, never loaded or waited on.
    /// </summary>
    public class EcrTokenCacheTests
    {
        private const string Key = "AKIAIOSFODNN7EXAMPLE";
        private const string Region = "eu-west-1";
        private const string Registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        private static CachedEcrToken Token => new CachedEcrToken("QVdTOnRva2Vu", Now.AddMinutes(-1), Now.AddHours(12));

        [Fact]
        public void AStoredTokenIsReadBack()
        {
            using var temp = new TempDirectory();
            var cache = new EcrTokenCache(temp.Path);
            cache.Store(Key, Region, Registry, Token);
            Assert.Equal("QVdTOnRva2Vu", cache.TryGetFresh(Key, Region, Registry, Now)?.AuthorizationToken);
        }

        [Fact]
        public void AnEntryLargerThanAnyTokenIsIgnoredNotLoaded()
        {
            using var temp = new TempDirectory();
            var cache = new EcrTokenCache(temp.Path);
            cache.Store(Key, Region, Registry, Token);
            var path = cache.PathFor(Key, Region, Registry);
            // Still valid JSON with a fresh token: only its size says it is not the cache's own.
            File.WriteAllText(path, File.ReadAllText(path) + new string(' ', EcrTokenCache.MaxEntryBytes));

            Assert.Null(cache.TryGetFresh(Key, Region, Registry, Now));
        }

        [Fact]
        public async Task AFifoOrADeviceInPlaceOfAnEntryIsIgnoredWithoutWaiting()
        {
            if (OperatingSystem.IsWindows()) return;
            using var temp = new TempDirectory();
            var cache = new EcrTokenCache(temp.Path);
            var path = cache.PathFor(Key, Region, Registry);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);

            Assert.Equal(0, ExternalProgram.Run("mkfifo", new[] { path }).ExitCode);
            // A reader of a FIFO would wait for a writer forever: the bound fails the test instead of hanging it.
            Assert.Null(await Task.Run(() => cache.TryGetFresh(Key, Region, Registry, Now)).WaitAsync(TimeSpan.FromSeconds(30)));

            File.Delete(path);
            File.CreateSymbolicLink(path, "/dev/zero"); // endless: read whole, it would fill memory
            Assert.Null(cache.TryGetFresh(Key, Region, Registry, Now));
        }
    }
}
