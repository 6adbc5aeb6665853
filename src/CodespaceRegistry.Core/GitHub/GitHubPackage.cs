namespace CodespaceRegistry.GitHub
{
    /// <summary>A package as <c>GET /orgs/{org}/packages/{package_type}/{package_name}</c> (or <c>/users/...</c>) returns it (the fields this module reads).</summary>
    public sealed class GitHubPackage
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        /// <summary><c>container</c>, <c>npm</c>, <c>nuget</c>, <c>rubygems</c>, <c>maven</c> or <c>docker</c>.</summary>
        public string PackageType { get; set; } = "";

        /// <summary><c>public</c>, <c>private</c> or <c>internal</c>.</summary>
        public string Visibility { get; set; } = "";

        public GitHubAccount? Owner { get; set; }

        /// <summary>The repository the package is linked to, or null.</summary>
        public GitHubRepository? Repository { get; set; }

        public string? HtmlUrl { get; set; }

        public override string ToString() => Name;
    }
}
