using System;
using System.IO;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>A fresh directory under the system temp directory, deleted on dispose.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "csr-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Combine(params string[] parts) => System.IO.Path.Combine(Path, System.IO.Path.Combine(parts));

        /// <summary>Writes a file at a path relative to the directory, creating its folders.</summary>
        public void Write(string relativePath, string text)
        {
            var file = Combine(relativePath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A helper's agent may still be closing a socket in it; the temp directory is the system's to clean.
            }
        }
    }
}
