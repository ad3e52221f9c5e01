"`python -m guided_diffusion_nb COMMAND [options]`: the `gdnb` command."
from guided_diffusion_nb.app.cli import main

if __name__ == '__main__': main()
