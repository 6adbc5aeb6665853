using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.DockerConfig
{
    /// <summary>
    /// Read-modify-write of a credential file that loses no one's entry and never leaves a half-written file: the
    /// change runs while this process holds <c>&lt;file&gt;.lock</c> (opened with <see cref="FileShare.None"/>, an
    /// flock on Unix, so other processes using this code wait), and the result replaces the file by rename from a
    /// temp file in the same directory, mode 0600 (or the old mode when stricter) set before any byte is written.
    /// </summary>
    internal static class ConfigFileUpdate
    {
        private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(5);
        private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(100);

        /// <summary>The lock a writer holds while it changes <paramref name="configPath"/>.</summary>
        public static string LockPathFor(string configPath) => configPath + ".lock";

        /// <summary>
        /// Reads the file under the lock, lets <paramref name="change"/> alter it (it returns false when nothing
        /// changed), and writes it back atomically; returns whether it changed. A file that does not parse throws
        /// before anything is written.
        /// </summary>
        public static async Task<bool> UpdateAsync(DockerConfigLocation location, TimeSpan lockTimeout, Func<DockerConfigFile, bool> change, CancellationToken cancellationToken)
        {
            if (UnixFiles.IsDanglingLink(location.Path))
            {
                throw new RegistryException("DockerConfigDanglingLink", ErrorKind.InvalidData,
                    $"The {DockerConfigFile.Describe(location)} is a symbolic link to a file that does not exist, so it was not written. " +
                    "Create the file the link points to (or remove the link), then try again.");
            }
            var path = UnixFiles.ResolveLinks(location.Path);
            var target = new DockerConfigLocation(path, location.Format);
            EnsureDirectory(target);
            using (await AcquireLockAsync(target, lockTimeout, cancellationToken).ConfigureAwait(false))
            {
                RemoveOrphanedTempFiles(path);
                var config = DockerConfigFile.Read(target);
                var changed = change(config);
                if (changed) Write(target, config.ToBytes());
                return changed;
            }
        }

        private static void EnsureDirectory(DockerConfigLocation location)
        {
            var directory = Path.GetDirectoryName(location.Path)!;
            if (Directory.Exists(directory)) return;
            try
            {
                Directory.CreateDirectory(directory);
                UnixFiles.SetMode(directory, UnixFiles.OwnerOnlyDirectory);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RegistryException("DockerConfigNotWritable", ErrorKind.PermissionDenied,
                    $"The directory of the {DockerConfigFile.Describe(location)} cannot be created: {ex.Message} " +
                    "Create it (mode 0700) or choose another config path.", ex);
            }
        }

        private static async Task<FileStream> AcquireLockAsync(DockerConfigLocation location, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var lockPath = LockPathFor(location.Path);
            var waited = Stopwatch.StartNew();
            var delay = FirstRetry;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException ex) when (ex.GetType() == typeof(IOException)) // held by another writer, not a missing path
                {
                    if (waited.Elapsed >= timeout)
                    {
                        throw new RegistryException("DockerConfigLocked", ErrorKind.Timeout,
                            $"Another process held '{lockPath}' for {timeout.TotalSeconds:0.#} s, so the {DockerConfigFile.Describe(location)} " +
                            "was not changed. Let the other login finish, then try again.", ex);
                    }
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw NotWritable(location, ex);
                }
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
            }
        }

        /// <summary>How old a temp file of ours must be to count as left behind by a writer that died (writers hold the lock for milliseconds).</summary>
        internal static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(1);

        // config.json.<12 hex>.tmp, as Write names them.
        private static readonly Regex TempName = new Regex(@"^\.[0-9a-f]{12}\.tmp$", RegexOptions.CultureInvariant);

        internal static string TempPathFor(string path) =>
            Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");

        /// <summary>
        /// Deletes the temp files a killed writer left beside the file (they hold every credential it held). Runs under
        /// the lock, and spares young ones in case a writer that does not take the lock is mid-write.
        /// </summary>
        private static void RemoveOrphanedTempFiles(string path)
        {
            var directory = Path.GetDirectoryName(path)!;
            var name = Path.GetFileName(path);
            string[] candidates;
            try
            {
                candidates = Directory.GetFiles(directory, name + ".*.tmp");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return;
            }
            foreach (var candidate in candidates)
            {
                var file = Path.GetFileName(candidate);
                if (!file.StartsWith(name, StringComparison.Ordinal) || !TempName.IsMatch(file.Substring(name.Length))) continue;
                try
                {
                    if (DateTime.UtcNow - File.GetLastWriteTimeUtc(candidate) >= OrphanAge) File.Delete(candidate);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Not ours to delete after all; the next save tries again.
                }
            }
        }

        private static void Write(DockerConfigLocation location, byte[] content)
        {
            var path = location.Path;
            var temp = TempPathFor(path);
            var moved = false;
            try
            {
                using (var stream = UnixFiles.CreateOwnerOnly(temp))
                {
                    if (UnixFiles.GetMode(path) is int old && (old & UnixFiles.OwnerReadWrite) != UnixFiles.OwnerReadWrite)
                        UnixFiles.SetMode(temp, old & UnixFiles.OwnerReadWrite); // keep a stricter mode
                    stream.Write(content, 0, content.Length);
                    stream.Flush(flushToDisk: true);
                }
                if (File.Exists(path)) File.Replace(temp, path, destinationBackupFileName: null);
                else File.Move(temp, path);
                moved = true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw NotWritable(location, ex);
            }
            finally
            {
                if (!moved) TryDelete(temp);
            }
        }

        private static RegistryException NotWritable(DockerConfigLocation location, Exception ex) =>
            new RegistryException("DockerConfigNotWritable", ErrorKind.PermissionDenied,
                $"The {DockerConfigFile.Describe(location)} cannot be written: {ex.Message} It was left as it was. " +
                "Check the permissions of the file and its directory, then try again.", ex);

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // The temp file holds what would have been written; nothing else refers to it.
            }
        }
    }
}
