using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helpline.Catalogue;

/// <summary>
/// The stored form of a <see cref="CategoryState"/> in <c>catalogue.category_change</c> (<c>before</c>, <c>after</c>):
/// camel-case names, the level by its member name (<c>Tehsil</c>), so rows read the same in SQL and in C#.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CategoryState))]
internal sealed partial class CatalogueJson : JsonSerializerContext
{
    public static string Write(CategoryState state) => JsonSerializer.Serialize(state, Default.CategoryState);

    public static CategoryState Read(string json) =>
        JsonSerializer.Deserialize(json, Default.CategoryState) ?? throw new InvalidDataException("A stored category state is empty.");
}
