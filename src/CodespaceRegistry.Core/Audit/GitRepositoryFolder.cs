using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace CodespaceRegistry.Audit
{
    /// <summary>
    /// The git work tree a folder is in, and the GitHub repository its remote names, read from <c>.git/config</c>
    /// (git is never run). A work tree whose <c>.git</c> is a file (<c>gitdir: ...</c>, a linked worktree or a
    /// submodule) reads the config of the common git directory.
    /// </summary>
    public static class GitRepositoryFolder
    {
        private static readonly Regex Section = new Regex(@"^\s*\[\s*remote\s+""(?<name>[^""]+)""\s*\]", RegexOptions.CultureInvariant);
        private static readonly Regex AnySection = new Regex(@"^\s*\[", RegexOptions.CultureInvariant);
        private static readonly Regex Url = new Regex(@"^\s*url\s*=\s*(?<url>\S+)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        // https://github.com/owner/name(.git), git@github.com:owner/name.git, ssh://git@host/owner/name: the last two path segments.
        private static readonly Regex OwnerAndName = new Regex(@"[:/](?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/(?<name>[A-Za-z0-9._-]+?)(?:\.git)?/?$", RegexOptions.CultureInvariant);

        /// <summary>The work tree's top folder (the one holding <c>.git</c>) that <paramref name="folder"/> is in, or null.</summary>
        public static string? FindWorkTree(string folder)
        {
            for (var d = new DirectoryInfo(Path.GetFullPath(folder)); d != null; d = d.Parent)
            {
                var git = Path.Combine(d.FullName, ".git");
                if (Directory.Exists(git) || File.Exists(git)) return d.FullName;
            }
            return null;
        }

        /// <summary>
        /// <c>owner/name</c> of the work tree's remote <c>origin</c> (else its first remote), or null when there is no
        /// work tree, no remote, or a remote that names no owner/name.
        /// </summary>
        public static string? RepositoryOf(string folder)
        {
            var workTree = FindWorkTree(folder);
            if (workTree == null) return null;
            var config = ConfigPath(Path.Combine(workTree, ".git"));
            if (config == null || !File.Exists(config)) return null;
            var text = LocalFile.ReadText(config, ".git/config", "GitConfigUnreadable");
            return text == null ? null : RepositoryFromConfig(text);
        }

        /// <summary><c>owner/name</c> of the remote <c>origin</c> (else the first remote) in the text of a git config.</summary>
        public static string? RepositoryFromConfig(string config)
        {
            string? remote = null, first = null, origin = null;
            foreach (var line in config.Split('\n'))
            {
                var section = Section.Match(line);
                if (section.Success) { remote = section.Groups["name"].Value; continue; }
                if (AnySection.IsMatch(line)) { remote = null; continue; }
                var url = Url.Match(line);
                if (remote == null || !url.Success) continue;
                var match = OwnerAndName.Match(url.Groups["url"].Value.Trim('"'));
                if (!match.Success) continue;
                var full = match.Groups["owner"].Value + "/" + match.Groups["name"].Value;
                first ??= full;
                if (remote == "origin") origin ??= full;
            }
            return origin ?? first;
        }

        private static string? ConfigPath(string dotGit)
        {
            if (Directory.Exists(dotGit)) return Path.Combine(dotGit, "config");
            // A linked worktree or submodule: "gitdir: <path>"; a linked worktree's "commondir" names the shared git directory.
            var text = LocalFile.ReadText(dotGit, ".git", "GitConfigUnreadable");
            var line = text?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("gitdir:", StringComparison.Ordinal));
            if (line == null) return null;
            var gitDir = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(dotGit)!, line.Substring("gitdir:".Length).Trim()));
            var common = Path.Combine(gitDir, "commondir");
            if (File.Exists(common))
            {
                var relative = LocalFile.ReadText(common, "commondir", "GitConfigUnreadable")?.Trim();
                if (!string.IsNullOrEmpty(relative)) gitDir = Path.GetFullPath(Path.Combine(gitDir, relative));
            }
            return Path.Combine(gitDir, "config");
        }
    }
}
