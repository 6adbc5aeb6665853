using System.Text.RegularExpressions;

namespace CodespaceRegistry.GitHub
{
    /// <summary>A repository as <c>GET /repos/{owner}/{repo}</c> returns it (the fields this module reads).</summary>
    public sealed class GitHubRepository
    {
        private static readonly Regex FullNamePattern = new Regex(@"^(?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/(?<name>[A-Za-z0-9._-]+)$", RegexOptions.CultureInvariant);

        public long Id { get; set; }

        public string Name { get; set; } = "";

        /// <summary><c>owner/name</c>.</summary>
        public string FullName { get; set; } = "";

        public bool Private { get; set; }

        /// <summary><c>public</c>, <c>private</c> or <c>internal</c>.</summary>
        public string? Visibility { get; set; }

        public GitHubAccount? Owner { get; set; }

        /// <summary>True when anyone can see the repository.</summary>
        public bool IsPublic => Visibility != null ? Visibility == "public" : !Private;

        /// <summary>True when an organization owns the repository.</summary>
        public bool IsOrganizationOwned => Owner?.Type == "Organization";

        public override string ToString() => FullName;

        /// <summary>Splits <c>owner/name</c>, or throws <see cref="GitHubErrorIds.InvalidRepositoryName"/>.</summary>
        public static (string Owner, string Name) SplitFullName(string fullName)
        {
            var m = FullNamePattern.Match((fullName ?? "").Trim());
            if (!m.Success || m.Groups["name"].Value == "." || m.Groups["name"].Value == "..")
            {
                throw new RegistryException(GitHubErrorIds.InvalidRepositoryName, ErrorKind.InvalidArgument,
                    $"'{fullName}' is not a repository name. Write it as owner/name, such as octo-org/hello-world.");
            }
            return (m.Groups["owner"].Value, m.Groups["name"].Value);
        }
    }

    /// <summary>A user or organization as the API nests it (<c>owner</c>).</summary>
    public sealed class GitHubAccount
    {
        public long Id { get; set; }

        public string Login { get; set; } = "";

        /// <summary><c>User</c> or <c>Organization</c>.</summary>
        public string? Type { get; set; }

        public override string ToString() => Login;
    }
}
