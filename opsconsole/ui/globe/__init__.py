"""vispy visuals of the 3D globe. Scene units are Earth equatorial radii, Earth-fixed."""
