using System.Globalization;

namespace CodespaceRegistry.Devcontainer
{
    /// <summary>A line of a file, shown relative to the scanned folder.</summary>
    public sealed class SourceLocation
    {
        public SourceLocation(string file, string relativePath, int line)
        {
            File = file;
            RelativePath = relativePath;
            Line = line;
        }

        /// <summary>The full path.</summary>
        public string File { get; }

        /// <summary>The path relative to the scanned folder, with forward slashes.</summary>
        public string RelativePath { get; }

        /// <summary>The line, from 1.</summary>
        public int Line { get; }

        public override string ToString() => RelativePath + ":" + Line.ToString(CultureInfo.InvariantCulture);
    }
}
