"""formgrader as a hub's service that runs as root (docs/hub.md): a Jupyter server that starts
no kernel.  formgrader needs none (autograding goes through the kit's sandbox), and any kernel
its server started would run as root for whoever reaches the service.  jupyter_client's own
``allowed_kernelspecs`` only hides the specs from the list; ``NoKernels`` also refuses to start one.
"""

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel


class NoKernels(KernelSpecManager):
    def find_kernel_specs(self):
        return {}

    def get_kernel_spec(self, kernel_name):
        raise NoSuchKernel(kernel_name)
