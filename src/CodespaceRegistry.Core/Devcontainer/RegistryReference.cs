using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Devcontainer
{
    /// <summary>Where in a dev container configuration a reference was written.</summary>
    public enum RegistryReferenceKind
    {
        /// <summary>The <c>image</c> property of devcontainer.json.</summary>
        Image = 0,

        /// <summary>A <c>FROM</c> line (or <c>COPY --from</c>, <c>RUN --mount=from=</c>) of a Dockerfile the configuration builds.</summary>
        Dockerfile,

        /// <summary>The <c>image</c> of a Docker Compose service the container starts.</summary>
        Compose,

        /// <summary>A dev container Feature, an OCI artifact named by a key of <c>features</c>.</summary>
        Feature,
    }

    /// <summary>
    /// An image or OCI artifact a codespace pulls while it builds, found in a dev container configuration.
    /// <see cref="Reference"/> and <see cref="Server"/> pipe into Resolve-PackageAccess and Test-RegistryAccess.
    /// </summary>
    public sealed class RegistryReference
    {
        internal RegistryReference(ImageReference image, string reference, RegistryReferenceKind kind, SourceLocation location, string configuration)
        {
            ImageReference = image;
            Reference = reference;
            Kind = kind;
            File = location.File;
            Line = location.Line;
            Source = location.ToString();
            Configuration = configuration;
        }

        /// <summary>The reference with its variables expanded, as written otherwise (such as <c>mcr.microsoft.com/devcontainers/base:ubuntu</c>).</summary>
        public string Reference { get; }

        public RegistryReferenceKind Kind { get; }

        /// <summary><c>file:line</c>, the file relative to the scanned folder.</summary>
        public string Source { get; }

        /// <summary>The full path of the file that names the reference.</summary>
        public string File { get; }

        /// <summary>The full path of the folder scanned (the repository), which tells references of several repositories apart.</summary>
        public string Root { get; internal set; } = "";

        /// <summary>The line (from 1) that names the reference.</summary>
        public int Line { get; }

        /// <summary>The devcontainer.json (relative to the scanned folder) whose build pulls the reference.</summary>
        public string Configuration { get; }

        /// <summary>The Compose service that uses the reference, for Compose references and the Dockerfiles they build.</summary>
        public string? Service { get; internal set; }

        /// <summary>The Dockerfile stage that names the reference, when the stage has a name.</summary>
        public string? Stage { get; internal set; }

        /// <summary>The parsed reference (<see cref="GetImageReference"/> outside Core).</summary>
        internal ImageReference ImageReference { get; }

        /// <summary>
        /// The parsed reference. A method, not a property: its registry is <see cref="Server"/>, and serialisers
        /// (ConvertTo-Json, Export-Clixml) write every public property, so a property would write the server twice.
        /// PowerShell shows it as the hidden <c>ImageReference</c> property (CodespaceRegistry.types.ps1xml). Not named
        /// <c>Image</c>: PowerShell binds a property by the parameter's own name before its aliases, so a non-string
        /// <c>Image</c> would stop <c>-Image</c> binding from <see cref="Reference"/>.
        /// </summary>
        public ImageReference GetImageReference() => ImageReference;

        /// <summary>The registry the reference is pulled from.</summary>
        public RegistryServer Server => ImageReference.Registry;

        public override string ToString() => $"{Reference} ({Source})";
    }
}
