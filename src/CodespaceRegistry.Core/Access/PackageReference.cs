using System;
using System.Linq;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// A package as Resolve-PackageAccess takes it: an image reference (<c>ghcr.io/octo-org/app:1</c>, any other
    /// registry's image), or a GitHub Packages URL path (<c>npm.pkg.github.com/@octo-org/lib</c>,
    /// <c>nuget.pkg.github.com/octo-org/Lib</c>, <c>rubygems.pkg.github.com/octo-org/gem</c>,
    /// <c>maven.pkg.github.com/octo-org/repo/com.example.app</c>, <c>docker.pkg.github.com/octo-org/repo/image</c>).
    /// </summary>
    public sealed class PackageReference
    {
        private PackageReference(string input, RegistryServer registry)
        {
            Input = input;
            Registry = registry;
        }

        /// <summary>What the user wrote, trimmed.</summary>
        public string Input { get; }

        public RegistryServer Registry { get; }

        /// <summary>The parsed image, for container registries.</summary>
        public ImageReference? Image { get; private set; }

        /// <summary>The GitHub Packages type the API names (container, npm, nuget, rubygems, maven, docker); null outside GitHub Packages.</summary>
        public string? PackageType => Registry.PackageType;

        /// <summary>The user or organization that owns a GitHub package.</summary>
        public string? Owner { get; private set; }

        /// <summary>The package name the API takes (such as <c>app</c> or <c>tools/lint</c>).</summary>
        public string? Name { get; private set; }

        /// <summary>The repository (<c>owner/name</c>) a repository-scoped package belongs to (Maven, Gradle, the old Docker registry).</summary>
        public string? Repository { get; private set; }

        /// <summary>A GitHub Packages registry.</summary>
        public bool IsGitHubPackages => Registry.Kind == RegistryKind.GitHubContainerRegistry || Registry.Kind == RegistryKind.GitHubPackages;

        /// <summary>Container, npm, NuGet and RubyGems: user/organization-scoped packages with granular permissions.</summary>
        public bool HasGranularPermissions => IsGitHubPackages && PackageType != "maven" && PackageType != "docker";

        /// <exception cref="RegistryException">ErrorId <c>InvalidPackageReference</c> (or <c>InvalidImageReference</c>) naming what is wrong.</exception>
        public static PackageReference Parse(string? input)
        {
            var s = (input ?? "").Trim();
            var slash = s.IndexOf('/');
            if (slash > 0 && RegistryServer.TryParse(s.Substring(0, slash), out var server, out _) &&
                server!.Kind == RegistryKind.GitHubPackages && !server.HasSchemeOrPath)
            {
                return ParseGitHubPackagesPath(s, server, s.Substring(slash + 1));
            }

            var image = ImageReference.Parse(s);
            var reference = new PackageReference(s, image.Registry) { Image = image };
            if (image.Registry.Kind == RegistryKind.GitHubContainerRegistry)
            {
                var parts = image.Repository.Split(new[] { '/' }, 2);
                if (parts.Length < 2) throw Invalid(s, "a ghcr.io image is named ghcr.io/OWNER/NAME.");
                reference.Owner = parts[0];
                reference.Name = parts[1];
            }
            return reference;
        }

        private static PackageReference ParseGitHubPackagesPath(string input, RegistryServer server, string path)
        {
            var segments = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).ToList();
            var reference = new PackageReference(input, server);
            var repositoryScoped = server.PackageType == "maven" || server.PackageType == "docker";
            if (segments.Count < (repositoryScoped ? 3 : 2))
            {
                throw Invalid(input, repositoryScoped
                    ? $"a {server.Host} package is named {server.Host}/OWNER/REPOSITORY/NAME."
                    : $"a {server.Host} package is named {server.Host}/OWNER/NAME.");
            }
            reference.Owner = segments[0].TrimStart('@');
            var rest = segments.Skip(repositoryScoped ? 2 : 1).ToList();
            if (repositoryScoped) reference.Repository = reference.Owner + "/" + segments[1];
            var last = rest[rest.Count - 1];
            var version = server.PackageType == "docker" ? last.IndexOf(':') : last.LastIndexOf('@');
            if (version > 0) rest[rest.Count - 1] = last.Substring(0, version);
            reference.Name = server.PackageType == "maven" ? string.Join(".", rest) : string.Join("/", rest);
            return reference;
        }

        private static RegistryException Invalid(string input, string why) =>
            new RegistryException("InvalidPackageReference", ErrorKind.InvalidArgument, $"'{Redaction.Echo(input)}' is not a package reference: {why}");

        public override string ToString() => Input;
    }
}
