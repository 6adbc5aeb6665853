using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CodespaceRegistry.DockerConfig
{
    /// <summary>
    /// The few POSIX file calls netstandard2.0 lacks: set a mode (libc <c>chmod</c>), read one, resolve a symbolic
    /// link (libc <c>realpath</c>). Every call is a no-op on Windows, where the ACLs of the profile apply.
    /// </summary>
    // Strings marshal as UTF-8 on Unix (the runtime's ANSI there), which is all these calls are made on.
    internal static class UnixFiles
    {
        /// <summary>rw for the owner only: what docker gives config.json.</summary>
        public const int OwnerReadWrite = 0x180; // 0600

        /// <summary>rwx for the owner only: what docker gives the directory it creates.</summary>
        public const int OwnerOnlyDirectory = 0x1C0; // 0700

        public static bool IsUnix { get; } = !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int Chmod(string path, uint mode);

        [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
        private static extern IntPtr RealPath(string path, IntPtr resolved);

        [DllImport("libc", EntryPoint = "free")]
        private static extern void Free(IntPtr pointer);

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEffectiveUserId();

        /// <summary>The effective user id, or null on Windows.</summary>
        public static long? EffectiveUserId => IsUnix ? GetEffectiveUserId() : (long?)null;

        [DllImport("libc", EntryPoint = "creat", SetLastError = true)]
        private static extern int Creat(string path, uint mode);

        // The runtime's own stat (System.Native, in every .NET on Unix): a fixed layout on every platform, unlike libc's.
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int Stat(string path, out FileStatus status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
        private static extern int LStat(string path, out FileStatus status);

        // The runtime's FileStatus begins with Flags and Mode; the rest is not read (Size leaves room for it).
        [StructLayout(LayoutKind.Sequential, Size = 512)]
        private struct FileStatus
        {
            public int Flags;
            public int Mode;
        }

        private const int TypeMask = 0xF000;
        private const int RegularFile = 0x8000;
        private const int SymbolicLink = 0xA000;

        /// <summary>
        /// What a path names after following links: a regular file (true), something else that exists, such as a device,
        /// a FIFO or a directory (false), or nothing (null). Where the runtime's stat cannot be called, an existing file counts as regular.
        /// </summary>
        public static bool? IsRegularFile(string path)
        {
            if (!IsUnix) return File.Exists(path) ? true : Directory.Exists(path) ? false : (bool?)null;
            try
            {
                if (Stat(path, out var status) != 0) return null;
                return (status.Mode & TypeMask) == RegularFile;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return File.Exists(path) ? true : Directory.Exists(path) ? false : (bool?)null;
            }
        }

        /// <summary>True for a symbolic link whose target does not exist.</summary>
        public static bool IsDanglingLink(string path)
        {
            if (!IsUnix) return false;
            try
            {
                return LStat(path, out var link) == 0 && (link.Mode & TypeMask) == SymbolicLink && Stat(path, out _) != 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return false;
            }
        }

        /// <summary>
        /// Creates a file that is mode 0600 from its first moment (libc <c>creat</c>, so no other user can open it in
        /// between); an existing file of that name is truncated, so the name must be one nobody else picks.
        /// </summary>
        /// <exception cref="IOException">The file could not be created.</exception>
        public static FileStream CreateOwnerOnly(string path)
        {
            if (!IsUnix) return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            var fd = Creat(path, OwnerReadWrite);
            if (fd < 0) throw new IOException($"Creating '{path}' failed (errno {Marshal.GetLastWin32Error()}).");
            return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle((IntPtr)fd, ownsHandle: true), FileAccess.Write);
        }

        /// <exception cref="IOException">chmod failed.</exception>
        public static void SetMode(string path, int mode)
        {
            if (!IsUnix) return;
            if (Chmod(path, (uint)mode) != 0)
            {
                throw new IOException($"chmod {Convert.ToString(mode, 8)} '{path}' failed (errno {Marshal.GetLastWin32Error()}).");
            }
        }

        /// <summary>
        /// The permission bits of a file, or null on Windows or a runtime without <c>File.GetUnixFileMode</c>
        /// (.NET 7+; PowerShell 7.4 runs on .NET 8). netstandard2.0 cannot name that API, and stat's struct layout
        /// differs by platform, so it is looked up at run time.
        /// </summary>
        public static int? GetMode(string path)
        {
            if (!IsUnix || !File.Exists(path)) return null;
            var method = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
            if (method == null) return null;
            try
            {
                return Convert.ToInt32(method.Invoke(null, new object[] { path }));
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is IOException || ex.InnerException is UnauthorizedAccessException)
            {
                return null; // a dangling link, or a file that went away
            }
        }

        /// <summary>The file a path finally names, following symbolic links (docker writes through a linked config.json).</summary>
        public static string ResolveLinks(string path)
        {
            if (!IsUnix || !File.Exists(path)) return path;
            var resolved = RealPath(path, IntPtr.Zero);
            if (resolved == IntPtr.Zero) return path;
            try
            {
                return Marshal.PtrToStringAnsi(resolved) ?? path;
            }
            finally
            {
                Free(resolved);
            }
        }
    }
}
