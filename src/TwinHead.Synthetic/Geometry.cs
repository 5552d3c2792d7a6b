using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>Projective maps used to place flat things (pages, screens) into a camera view.</summary>
internal static class Homography
{
    /// <summary>
    /// The perspective matrix that maps the rectangle (0,0)-(width,height) onto the quad <paramref name="quad"/>
    /// (top-left, top-right, bottom-right, bottom-left).
    /// </summary>
    public static SKMatrix RectToQuad(float width, float height, ReadOnlySpan<SKPoint> quad)
    {
        float x0 = quad[0].X, y0 = quad[0].Y, x1 = quad[1].X, y1 = quad[1].Y;
        float x2 = quad[2].X, y2 = quad[2].Y, x3 = quad[3].X, y3 = quad[3].Y;
        float dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
        float dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
        float g = 0, h = 0;
        if (MathF.Abs(dx3) > 1e-6f || MathF.Abs(dy3) > 1e-6f)
        {
            var det = dx1 * dy2 - dx2 * dy1;
            g = (dx3 * dy2 - dx2 * dy3) / det;
            h = (dx1 * dy3 - dx3 * dy1) / det;
        }
        var square = new SKMatrix(
            x1 - x0 + g * x1, x3 - x0 + h * x3, x0,
            y1 - y0 + g * y1, y3 - y0 + h * y3, y0,
            g, h, 1);
        return square.PreConcat(SKMatrix.CreateScale(1 / width, 1 / height));
    }
}

/// <summary>
/// A flat or gently bent object seen by a pinhole camera: object coordinates (u, v) in [0,1]x[0,1] plus a height z
/// (in object-width units) are rotated, then projected with a perspective whose strength grows as the camera nears.
/// </summary>
internal readonly struct CameraPose
{
    private readonly float m00, m01, m02, m10, m11, m12, m20, m21, m22;
    private readonly float aspect, centerX, centerY, scale, distance;

    /// <param name="aspect">Object height / width.</param>
    /// <param name="centerX">Image x of the object's centre.</param>
    /// <param name="centerY">Image y of the object's centre.</param>
    /// <param name="scale">Image pixels per object width (at the centre's depth).</param>
    /// <param name="yawDegrees">Turn about the vertical axis.</param>
    /// <param name="pitchDegrees">Tilt about the horizontal axis (a page on a table seen from a standing position).</param>
    /// <param name="rollDegrees">Rotation in the image plane.</param>
    /// <param name="distance">Camera distance in object widths; small values give strong perspective.</param>
    public CameraPose(float aspect, float centerX, float centerY, float scale, float yawDegrees, float pitchDegrees, float rollDegrees, float distance)
    {
        this.aspect = aspect;
        this.centerX = centerX;
        this.centerY = centerY;
        this.scale = scale;
        // Keep the whole object well in front of the camera: a long receipt tilted towards a near camera would
        // otherwise cross the image plane and project to infinity.
        var halfDiagonal = MathF.Sqrt(0.25f + aspect * aspect * 0.25f);
        this.distance = MathF.Max(distance, 1.8f * halfDiagonal);
        float a = yawDegrees * MathF.PI / 180, b = pitchDegrees * MathF.PI / 180, c = rollDegrees * MathF.PI / 180;
        float ca = MathF.Cos(a), sa = MathF.Sin(a), cb = MathF.Cos(b), sb = MathF.Sin(b), cc = MathF.Cos(c), sc = MathF.Sin(c);
        // R = Rz(roll) * Rx(pitch) * Ry(yaw)
        float r00 = ca, r01 = 0, r02 = sa;
        float r10 = sb * sa, r11 = cb, r12 = -sb * ca;
        float r20 = -cb * sa, r21 = sb, r22 = cb * ca;
        m00 = cc * r00 - sc * r10; m01 = cc * r01 - sc * r11; m02 = cc * r02 - sc * r12;
        m10 = sc * r00 + cc * r10; m11 = sc * r01 + cc * r11; m12 = sc * r02 + cc * r12;
        m20 = r20; m21 = r21; m22 = r22;
    }

    public SKPoint Project(float u, float v, float z = 0)
    {
        var x = u - 0.5f;
        var y = (v - 0.5f) * aspect;
        var px = m00 * x + m01 * y + m02 * z;
        var py = m10 * x + m11 * y + m12 * z;
        var pz = m20 * x + m21 * y + m22 * z;
        var w = distance / MathF.Max(distance + pz, 0.25f * distance);
        return new SKPoint(centerX + scale * px * w, centerY + scale * py * w);
    }

    /// <summary>Image corners of the flat object: top-left, top-right, bottom-right, bottom-left.</summary>
    public SKPoint[] Corners() => [Project(0, 0), Project(1, 0), Project(1, 1), Project(0, 1)];

    /// <summary>How far the quad departs from a rectangle (0 = none), for the cue record.</summary>
    public static float Keystone(SKPoint[] q)
    {
        var top = SKPoint.Distance(q[0], q[1]);
        var bottom = SKPoint.Distance(q[3], q[2]);
        var left = SKPoint.Distance(q[0], q[3]);
        var right = SKPoint.Distance(q[1], q[2]);
        return MathF.Abs(top - bottom) / MathF.Max(top, bottom) + MathF.Abs(left - right) / MathF.Max(left, right);
    }
}
