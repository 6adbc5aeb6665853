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
            return Convert.ToInt32(method.Invoke(null, new object[] { path }));
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
